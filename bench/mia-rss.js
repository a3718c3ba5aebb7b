#!/usr/bin/env node
// Runs the compiled mia CLI at ROOT and, at exit, prints its peak resident memory (the process and its worker
// threads) and CPU seconds to stderr as one JSON line tagged `bench:`. usage: node bench/mia-rss.js ROOT ARGS...
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, ...args] = process.argv.slice(2);
const { main } = await import(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href);
process.on('exit', () => {
  const r = process.resourceUsage();
  const cpu = (r.userCPUTime + r.systemCPUTime) / 1e6;
  process.stderr.write(`bench:${JSON.stringify({ maxRssMB: r.maxRSS / 1024, cpuS: cpu })}\n`);
});
process.exitCode = await main(args);

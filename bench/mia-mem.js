#!/usr/bin/env node
// mia run in this process with its memory sampled every 100 ms: peak RSS, heap, external and ArrayBuffer bytes,
// and the same after the run and a GC. usage: node --expose-gc bench/mia-mem.js ROOT SPEC OUT [--jobs N]
// (SERIES=k also prints every k-th sample: seconds, RSS, ArrayBuffers, heap used, in MB)
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, spec, out, ...rest] = process.argv.slice(2);
const { main } = await import(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href);
const MB = (x) => Number((x / 1048576).toFixed(1));
const keys = ['rss', 'heapUsed', 'external', 'arrayBuffers'];
const peak = Object.fromEntries(keys.map((k) => [k, 0]));
const series = [];
const t0 = Date.now();
const timer = setInterval(() => {
  const m = process.memoryUsage();
  for (const k of keys) peak[k] = Math.max(peak[k], m[k]);
  series.push([(Date.now() - t0) / 1000, MB(m.rss), MB(m.arrayBuffers), MB(m.heapUsed)]);
}, 100);
const code = await main([
  'run',
  spec,
  '--no-cache',
  '--out',
  out,
  '--quiet',
  ...(rest.length ? rest : ['--jobs', '2']),
]);
clearInterval(timer);
globalThis.gc?.();
const end = process.memoryUsage();
if (process.env.SERIES)
  for (const [i, s] of series.entries()) if (i % Number(process.env.SERIES) === 0) console.log(s.join(' '));
console.log(
  JSON.stringify({
    code,
    maxRssMB: MB(process.resourceUsage().maxRSS * 1024),
    peakMB: Object.fromEntries(keys.map((k) => [k, MB(peak[k])])),
    endMB: Object.fromEntries(keys.map((k) => [k, MB(end[k])])),
  }),
);

#!/usr/bin/env node
// npm run bench: the quickstart's wall time with --jobs 1 and --jobs 2 on a cold cache, and a warm
// rerun, with the ratios (targets: --jobs 2 at least 1.7x faster than --jobs 1; warm under 5% of cold).
// Runs the compiled CLI (npm run build first). Usage: node bench/run.js [SPEC] [--backend B]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const bi = args.indexOf('--backend');
const backend = bi >= 0 ? args[bi + 1] : 'wasm';
const spec =
  args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--backend') ??
  join(root, 'experiments', 'quickstart.mia');
const work = mkdtempSync(join(tmpdir(), 'mia-bench-'));

function run(name, jobs, cache) {
  const out = join(work, name);
  const load = loadavg()[0].toFixed(2);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'bin', 'mia.js'),
      'run',
      spec,
      '--backend',
      backend,
      '--jobs',
      String(jobs),
      '--cache',
      cache,
      '--out',
      out,
    ],
    { encoding: 'utf8' },
  );
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`${name} failed (exit ${r.status})`);
  }
  return { s, load, results: readFileSync(join(out, 'results.json'), 'utf8') };
}

console.log(
  `bench: ${spec} on ${backend}, ${availableParallelism()} cores (the 1-minute load average before each run is shown: other work on the machine slows the runs)`,
);
const c1 = join(work, 'cache-1'),
  c2 = join(work, 'cache-2');
const j1 = run('jobs1', 1, c1);
console.log(`  cold, --jobs 1:   ${j1.s.toFixed(2)} s   (load ${j1.load})`);
const j2 = run('jobs2', 2, c2);
console.log(`  cold, --jobs 2:   ${j2.s.toFixed(2)} s   (load ${j2.load})`);
const warm = run('warm', 2, c2);
console.log(`  warm, --jobs 2:   ${warm.s.toFixed(2)} s   (load ${warm.load})`);
console.log(`  speed-up --jobs 2 over --jobs 1: ${(j1.s / j2.s).toFixed(2)}x (target >= 1.7x)`);
console.log(`  warm / cold (--jobs 2):          ${((100 * warm.s) / j2.s).toFixed(1)}% (target < 5%)`);
console.log(`  warm / cold (--jobs 1):          ${((100 * warm.s) / j1.s).toFixed(1)}%`);
const same = j1.results === j2.results && j2.results === warm.results;
console.log(`  results.json identical across the three runs: ${same ? 'yes' : 'NO'}`);
rmSync(work, { recursive: true, force: true });
if (!same) process.exitCode = 1;

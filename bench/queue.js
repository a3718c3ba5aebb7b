#!/usr/bin/env node
// The queue against a local run (npm run bench runs it last; alone: node bench/queue.js [--reps N] [--shadows N]).
// Starts its own redis-server on a free loopback port (no persistence), then, alternating per repetition:
// the quickstart with `mia run --jobs 2` (a fresh cache) and through the queue with 2 `mia worker --jobs 1`
// processes (started and warm before the clock, a fresh store). Then a quickstart with --shadows N shadow
// models (default 32) locally and through 3 workers: their results.json must be byte-identical (without
// provenance.invocation, which records the command line and the workers). Runs the compiled code.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const bin = join(root, 'bin', 'mia.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const reps = Number(opt('--reps', '3'));
const shadows = Number(opt('--shadows', '32'));
const REDIS = '/usr/bin/redis-server';
if (!existsSync(REDIS)) {
  console.log(`queue: skipped (${REDIS} is not installed)`);
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'mia-bench-queue-'));
const quickstart = join(root, 'experiments', 'quickstart.mia');

const port = await new Promise((res) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => res(p));
  });
});
const redis = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
  stdio: 'ignore',
});
const url = `redis://127.0.0.1:${port}`;
const children = [redis];
const stopAll = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
};
process.on('exit', stopAll);
await new Promise((r) => setTimeout(r, 300));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const stat = (xs) => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;

/** A worker, resolved once it listens (its first line). */
function worker(store, jobs) {
  const c = spawn(process.execPath, [bin, 'worker', '--queue', url, '--store', store, '--jobs', String(jobs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(c);
  return new Promise((res, rej) => {
    c.stdout.once('data', () => res(c));
    c.once('exit', (code) => rej(new Error(`mia worker exited (code ${code}) before it listened`)));
  });
}

function run(spec, out, extra) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, 'run', spec, '--out', out, '--quiet', ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mia run failed (exit ${r.status}):\n${r.stderr}`);
  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  delete json.provenance.invocation;
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, text: JSON.stringify(json) };
}

async function viaQueue(spec, name, workers) {
  const store = join(work, `store-${name}`);
  const ws = await Promise.all(Array.from({ length: workers }, () => worker(store, 1)));
  const r = run(spec, join(work, name), ['--queue', url, '--cache', store]);
  for (const w of ws) w.kill('SIGKILL');
  return r;
}

const local = [];
const queued = [];
const texts = new Set();
for (let i = 0; i < reps; i++) {
  const l = run(quickstart, join(work, `local-${i}`), ['--jobs', '2', '--cache', join(work, `cache-${i}`)]);
  const q = await viaQueue(quickstart, `queue-${i}`, 2);
  local.push(l.s);
  queued.push(q.s);
  texts.add(l.text).add(q.text);
}
console.log(`\nqueue vs local, quickstart, ${reps} runs each, alternating (load ${loadavg()[0].toFixed(1)}):`);
console.log(`  local --jobs 2 (s)                      ${stat(local)}`);
console.log(`  queue, 2 workers of --jobs 1 (s)        ${stat(queued)}`);
console.log(`  queue / local (medians)                 ${(median(queued) / median(local)).toFixed(3)}`);
console.log(`  results.json identical                  ${texts.size === 1 ? 'yes' : 'NO'}`);

if (shadows > 0) {
  const spec = join(work, `quickstart-${shadows}.mia`);
  writeFileSync(spec, readFileSync(quickstart, 'utf8').replace(/count 8\b/, `count ${shadows}`));
  const l = run(spec, join(work, 'big-local'), ['--jobs', '2', '--no-cache']);
  const q = await viaQueue(spec, 'big-queue', 3);
  console.log(
    `  ${shadows} shadows: local --jobs 2 ${l.s.toFixed(1)} s, queue with 3 workers ${q.s.toFixed(1)} s, results.json identical: ${l.text === q.text ? 'yes' : 'NO'}`,
  );
  if (l.text !== q.text) process.exitCode = 1;
}
if (texts.size !== 1) process.exitCode = 1;
stopAll();
rmSync(work, { recursive: true, force: true });

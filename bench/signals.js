#!/usr/bin/env node
// npm run bench (signals part): times `mia attack --signals` on generated files.
// Targets: 60,000 records × 64 reference models (logits, 10 classes, and losses) under 10 s;
// 1,000,000 records of losses (target only) under 60 s. Runs the compiled CLI (npm run build first).
// Usage: node bench/signals.js [--quick]   (--quick: 6,000 × 64 and 100,000 records)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNpy } from '../dist/data/index.js';
import { makeRng } from '../dist/util/rng.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const work = mkdtempSync(join(tmpdir(), 'mia-bench-signals-'));

/** n records (a third members, a third non-members, a third population), M references IN for half each. */
function write(name, n, M, kind) {
  const rng = makeRng(11);
  const C = 10;
  const member = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : -1));
  const labels = Float64Array.from({ length: n }, () => rng.int(C));
  const isIn = new Uint8Array(M * n);
  for (let i = 0; i < isIn.length; i++) isIn[i] = rng.next() < 0.5 ? 1 : 0;
  const lossOf = (shift) => Math.abs(1 - shift + 0.5 * rng.normal());
  const files = { member: `${name}-member.npy` };
  writeFileSync(join(work, files.member), writeNpy([n], member, '<i8'));
  if (kind === 'logits') {
    const logits = (count) => {
      const a = new Float32Array(count * C);
      for (let i = 0; i < a.length; i++) a[i] = rng.normal();
      return a;
    };
    writeFileSync(join(work, `${name}-labels.npy`), writeNpy([n], labels, '<i8'));
    writeFileSync(join(work, `${name}-t.npy`), writeNpy([n, C], logits(n), '<f4'));
    if (M) writeFileSync(join(work, `${name}-r.npy`), writeNpy([M, n, C], logits(M * n), '<f4'));
    Object.assign(files, { labels: `${name}-labels.npy`, target: { logits: `${name}-t.npy` } });
    if (M) files.references = { logits: `${name}-r.npy`, in: `${name}-in.npy` };
  } else {
    const t = Float32Array.from(member, (m) => lossOf(m === 1 ? 0.6 : 0));
    writeFileSync(join(work, `${name}-t.npy`), writeNpy([n], t, '<f4'));
    files.target = { loss: `${name}-t.npy` };
    if (M) {
      const r = Float32Array.from(isIn, (x) => lossOf(x ? 0.6 : 0));
      writeFileSync(join(work, `${name}-r.npy`), writeNpy([M, n], r, '<f4'));
      files.references = { loss: `${name}-r.npy`, in: `${name}-in.npy` };
    }
  }
  if (M) writeFileSync(join(work, `${name}-in.npy`), writeNpy([M, n], isIn, '|b1'));
  const spec = join(work, `${name}.json`);
  writeFileSync(spec, JSON.stringify(files));
  return spec;
}

function time(label, spec, target) {
  const load = loadavg()[0].toFixed(2);
  const t0 = process.hrtime.bigint();
  const cmd = [
    process.execPath,
    join(root, 'bin', 'mia.js'),
    'attack',
    '--signals',
    spec,
    '--out',
    join(work, `out-${label}`),
  ];
  // CPU time (user + system) via /usr/bin/time where present: on a loaded machine it says more than the wall clock.
  const timed = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'cpu %U %S %M', ...cmd] : cmd;
  const r = spawnSync(timed[0], timed.slice(1), { encoding: 'utf8', maxBuffer: 1 << 26 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${label}: exit ${r.status}\n${r.stderr}`);
  const m = /cpu ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr);
  const cpu = m
    ? `, cpu ${(Number(m[1]) + Number(m[2])).toFixed(1)} s, max rss ${Math.round(Number(m[3]) / 1024)} MB`
    : '';
  const verdict = quick ? '' : s <= target ? ` (target ${target} s: met)` : ` (target ${target} s: MISSED)`;
  console.log(`${label}: wall ${s.toFixed(1)} s${verdict}${cpu}, load ${load}`);
}

const scale = quick ? 10 : 1;
try {
  time(`${60_000 / scale} records x 64 models, losses`, write('l64', 60_000 / scale, 64, 'loss'), 10);
  time(`${60_000 / scale} records x 64 models, logits`, write('g64', 60_000 / scale, 64, 'logits'), 10);
  time(`${1_000_000 / scale} records, losses`, write('l1m', 1_000_000 / scale, 0, 'loss'), 60);
} finally {
  rmSync(work, { recursive: true, force: true });
}

#!/usr/bin/env node
// npm run bench (signals part): times `mia attack --signals` on generated files.
// Targets: 60,000 records × 64 reference models (logits, 10 classes, and losses) under 10 s;
// 1,000,000 records of losses (target only) under 60 s. Runs the compiled CLI (npm run build first).
// Usage: node bench/signals.js [--quick] [--reps N] [--against ROOT] [--keep DIR] [--compare ROOT]
//   --quick: 6,000 × 64 and 100,000 records; --reps N: N runs each, median (min–max) shown;
//   --against ROOT: also time another build (a checkout with dist/ built), alternating with this one;
//   --keep DIR: write the inputs (and outputs) to DIR and keep them (for profiling);
//   --compare ROOT: no timing; checks that this build and ROOT's write byte-identical results.json on
//     generated inputs of 2,000 to 20,000 records (losses and logits, 4 to 64 references, ties).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeNpy } from '../dist/data/index.js';
import { makeRng } from '../dist/util/rng.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string', default: '1' },
    against: { type: 'string' },
    keep: { type: 'string' },
    compare: { type: 'string' },
  },
});
const quick = args.quick;
const reps = Number(args.reps);
const work = args.keep ? resolve(args.keep) : mkdtempSync(join(tmpdir(), 'mia-bench-signals-'));
mkdirSync(work, { recursive: true });
const builds = [['this', root], ...(args.against ? [['against', resolve(args.against)]] : [])];

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

/** One run of one build: wall seconds and CPU seconds (user + system, via /usr/bin/time where present). */
function once(build, label, spec) {
  const cmd = [process.execPath, join(build, 'bin', 'mia.js'), 'attack', '--signals', spec, '--out', join(work, label)];
  const timed = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'cpu %U %S %M', ...cmd] : cmd;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(timed[0], timed.slice(1), { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${label}: exit ${r.status}\n${r.stderr}`);
  const m = /cpu ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr);
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : Number.NaN, rss: m ? Number(m[3]) / 1024 : Number.NaN };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fmt = (xs, digits = 1) =>
  xs.length === 1
    ? xs[0].toFixed(digits)
    : `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

function time(label, spec, target) {
  const load = loadavg()[0].toFixed(2);
  const runs = new Map(builds.map(([name]) => [name, []]));
  for (let i = 0; i < reps; i++) for (const [name, dir] of builds) runs.get(name).push(once(dir, `out-${name}`, spec));
  for (const [name, rs] of runs) {
    const s = median(rs.map((r) => r.wall));
    const verdict = quick ? '' : s <= target ? ` (target ${target} s: met)` : ` (target ${target} s: MISSED)`;
    const who = builds.length > 1 ? `[${name}] ` : '';
    const cpu = Number.isNaN(rs[0].cpu)
      ? ''
      : `, cpu ${fmt(rs.map((r) => r.cpu))} s, max rss ${fmt(
          rs.map((r) => r.rss),
          0,
        )} MB`;
    console.log(`${who}${label}: wall ${fmt(rs.map((r) => r.wall))} s${verdict}${cpu}, load ${load}`);
  }
}

/** Runs both builds on each input and compares the bytes of their results.json. */
function compare(other) {
  let failed = 0;
  for (const [n, M, kind] of [
    [2_000, 4, 'loss'],
    [6_000, 16, 'logits'],
    [12_000, 64, 'loss'],
    [20_000, 8, 'logits'],
    [20_000, 0, 'loss'],
  ]) {
    const spec = write(`c${n}-${M}-${kind}`, n, M, kind);
    const outs = [root, other].map((dir, i) => {
      const out = join(work, `cmp-${n}-${M}-${kind}-${i}`);
      const r = spawnSync(process.execPath, [join(dir, 'bin', 'mia.js'), 'attack', '--signals', spec, '--out', out], {
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`${dir}: exit ${r.status}\n${r.stderr}`);
      return readFileSync(join(out, 'results.json'));
    });
    const same = outs[0].equals(outs[1]);
    if (!same) failed++;
    console.log(
      `${n} records x ${M} models, ${kind}: results.json ${same ? 'identical' : 'DIFFERENT'} (${outs[0].length} bytes)`,
    );
  }
  if (failed) process.exitCode = 1;
}

const scale = quick ? 10 : 1;
try {
  if (args.compare) compare(resolve(args.compare));
  else {
    time(`${60_000 / scale} records x 64 models, losses`, write('l64', 60_000 / scale, 64, 'loss'), 10);
    time(`${60_000 / scale} records x 64 models, logits`, write('g64', 60_000 / scale, 64, 'logits'), 10);
    time(`${1_000_000 / scale} records, losses`, write('l1m', 1_000_000 / scale, 0, 'loss'), 60);
  }
} finally {
  if (!args.keep) rmSync(work, { recursive: true, force: true });
}

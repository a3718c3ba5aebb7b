#!/usr/bin/env node
// The kernels of one step of issue 30's CNN (conv 32 same → max-pool 2 → conv 64 same → max-pool 2 → dense),
// batch 128, timed one by one on the backend (CPU ms per call, median of `reps`), with the GFLOP/s of the products
// and the GB/s of the least traffic each kernel needs (its inputs read and its output written once, float32).
// Two references: 'copy' (Add of 0 over the 16.8 MB of conv1's output: the memory bandwidth a kernel gets here)
// and the conv2 forward (XNNPACK's GEMM: what wasm SIMD128 reaches on this machine).
// usage: node bench/cnn-kernels.js ROOT [BACKEND] [REPS]   (prints one JSON line)
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, backend = 'wasm', repsArg = '5'] = process.argv.slice(2);
const ml = await import(pathToFileURL(join(root, 'dist', 'ml', 'index.js')).href);
const tf = await import('@tensorflow/tfjs-core');
await ml.initBackend(backend);
const reps = Number(repsArg);
const B = 128;
const rnd = (shape, seed) => tf.randomUniform(shape, -1, 1, 'float32', seed);
const x1 = rnd([B, 32, 32, 3], 1);
const f1 = rnd([3, 3, 3, 32], 2);
const b1 = rnd([32], 3);
const y1 = tf.relu(tf.conv2d(x1, f1, 1, 'same'));
const p1 = tf.maxPool(y1, 2, 2, 'valid');
const f2 = rnd([3, 3, 32, 64], 4);
const b2 = rnd([64], 5);
const y2 = tf.relu(tf.conv2d(p1, f2, 1, 'same'));
const p2 = tf.maxPool(y2, 2, 2, 'valid'); // made once: the kernel reads only dy and the input
const dy2 = rnd([B, 16, 16, 64], 6);
const dp1 = rnd([B, 16, 16, 32], 7);
const dp2 = rnd([B, 8, 8, 64], 8);
const dy1 = rnd([B, 32, 32, 32], 9);
const convAttrs = (filterShape) => ({
  strides: 1,
  pad: 'same',
  dataFormat: 'NHWC',
  dimRoundingMode: undefined,
  filterShape,
});
const fused = (x, f, b) => tf.fused.conv2d({ x, filter: f, bias: b, strides: 1, pad: 'same', activation: 'relu' });
// the weights are new tensors on every step of training (the optimizer's update): so here too, made before each call
let g1 = f1;
let g2 = f2;
const gflop = (m, k, n) => (2 * m * k * n) / 1e9;
const mb = (...shapes) => shapes.reduce((a, s) => a + 4 * s.reduce((x, y) => x * y, 1), 0) / 1e6;
const [X1, Y1, P1, Y2, P2] = [
  [B, 32, 32, 3],
  [B, 32, 32, 32],
  [B, 16, 16, 32],
  [B, 16, 16, 64],
  [B, 8, 8, 64],
];
const cases = {
  'conv1 forward (+bias, relu)': [() => fused(x1, g1, b1), gflop(B * 1024, 27, 32), mb(X1, Y1)],
  'conv2 forward (+bias, relu)': [() => fused(p1, g2, b2), gflop(B * 256, 288, 64), mb(P1, Y2)],
  'conv1 filter grad': [
    () => tf.engine().runKernel('Conv2DBackpropFilter', { x: x1, dy: dy1 }, convAttrs([3, 3, 3, 32])),
    gflop(B * 1024, 27, 32),
    mb(X1, Y1),
  ],
  'conv2 filter grad': [
    () => tf.engine().runKernel('Conv2DBackpropFilter', { x: p1, dy: dy2 }, convAttrs([3, 3, 32, 64])),
    gflop(B * 256, 288, 64),
    mb(P1, Y2),
  ],
  'conv2 input grad': [
    () =>
      tf
        .engine()
        .runKernel('Conv2DBackpropInput', { dy: dy2, filter: f2 }, { ...convAttrs(), inputShape: [B, 16, 16, 32] }),
    gflop(B * 256, 576, 32),
    mb(Y2, P1),
  ],
  'max-pool 1': [() => tf.maxPool(y1, 2, 2, 'valid'), 0, mb(Y1, P1)],
  'max-pool 2': [() => tf.maxPool(y2, 2, 2, 'valid'), 0, mb(Y2, P2)],
  'max-pool 1 grad': [
    () =>
      tf
        .engine()
        .runKernel('MaxPoolGrad', { dy: dp1, input: y1, output: p1 }, { filterSize: 2, strides: 2, pad: 'valid' }),
    0,
    mb(Y1, P1, Y1), // x and dy read, dx written
  ],
  'max-pool 2 grad': [
    () =>
      tf
        .engine()
        .runKernel('MaxPoolGrad', { dy: dp2, input: y2, output: p2 }, { filterSize: 2, strides: 2, pad: 'valid' }),
    0,
    mb(Y2, P2, Y2),
  ],
  'copy (reference: Add of 0)': [() => tf.add(y1, 0), 0, mb(Y1, Y1)],
};
const out = {};
for (const [name, [f, g, bytes]] of Object.entries(cases)) {
  tf.dispose(tf.tidy(f)); // warm-up
  const ms = [];
  for (let r = 0; r < reps; r++) {
    [g1, g2] = [tf.add(f1, 0), tf.add(f2, 0)];
    const c0 = process.cpuUsage();
    const t = tf.tidy(f);
    const c = process.cpuUsage(c0);
    tf.dispose([t, g1, g2]);
    [g1, g2] = [f1, f2];
    ms.push((c.user + c.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  const med = ms[Math.floor(ms.length / 2)];
  out[name] = { ms: med, gflops: g ? g / (med / 1000) : null, gbs: bytes / 1000 / (med / 1000) };
}
console.log(JSON.stringify(out));

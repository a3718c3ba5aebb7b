#!/usr/bin/env node
// The cost of DP-SGD against plain training: the quickstart MLP (784-128-10, adam 0.001, batch 64) on 1,000
// random 28x28 records, 3 epochs, on the wasm backend; ms per step, the median of 3 runs. DP-SGD with ghost
// clipping (the default for dense models) and with one backward pass per example (the fallback).
// usage: npm run build && node bench/dp-sgd.js [--epochs E]
import * as tf from '@tensorflow/tfjs-core';
import { buildModel, initBackend, trainModel } from '../dist/ml/index.js';
import { trainModelDp } from '../dist/ml/dp-train.js';

const args = process.argv.slice(2);
const epochs = args.includes('--epochs') ? Number(args[args.indexOf('--epochs') + 1]) : 3;
await initBackend('wasm');
const n = 1000;
const x = Float32Array.from({ length: n * 784 }, (_, i) => Math.abs((Math.sin(i * 12.9898) * 43758.5453) % 1));
const y = Int32Array.from({ length: n }, (_, i) => i % 10);
const data = { x, y, n, shape: [28, 28, 1], classes: 10 };
const layers = [
  { kind: 'dense', units: 128, activation: 'relu' },
  { kind: 'dense', units: 'classes', activation: 'softmax' },
];
const def = {
  optimizer: { kind: 'adam', rate: 0.001 },
  epochs,
  batch: 64,
  l2: 0,
  earlyStopping: null,
  labelSmoothing: 0,
};
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(name, steps, train) {
  const ms = [];
  let leaked = 0;
  for (let r = 0; r < 3; r++) {
    const model = buildModel({ layers, inputShape: data.shape, classes: 10, seed: r });
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    await train(model);
    ms.push((performance.now() - t0) / steps);
    leaked = tf.memory().numTensors - before;
    model.dispose();
  }
  const m = median(ms);
  console.log(
    `  ${name.padEnd(34)} ${m.toFixed(2).padStart(8)} ms/step  (${steps} steps; runs ${ms.map((v) => v.toFixed(2)).join(', ')}; tensors left ${leaked})`,
  );
  return m;
}

console.log(`bench dp-sgd: 784-128-10 MLP, ${n} records, batch 64, ${epochs} epochs, wasm`);
const plain = await time('plain (trainModel)', epochs * Math.ceil(n / 64), (m) => trainModel(m, data, def, 1));
const dpSteps = Math.ceil((epochs * n) / 64);
const ghost = await time('DP-SGD, ghost clipping', dpSteps, (m) =>
  trainModelDp(m, data, def, { noise: 1.1, clip: 1, method: 'ghost' }, 1),
);
const micro = await time('DP-SGD, one backward pass/example', dpSteps, (m) =>
  trainModelDp(m, data, def, { noise: 1.1, clip: 1, method: 'microbatch' }, 1),
);
console.log(`  ghost / plain: ${(ghost / plain).toFixed(2)}x   per-example / plain: ${(micro / plain).toFixed(1)}x`);

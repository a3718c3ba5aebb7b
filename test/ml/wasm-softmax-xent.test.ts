import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/ml/index.js';
import { denseKernelsReady } from '../../src/ml/kernels/wasm-dense.js';
import { MIA_SOFTMAX_XENT } from '../../src/ml/kernels/wasm-softmax-xent.js';
import { makeRng } from '../../src/util/rng.js';

// The fused loss kernel against the 17 tf ops it replaces (dense-step.ts's path without the kernels): bit for
// bit on wasm, and within float tolerance of the cpu backend.

interface Case {
  b: number;
  c: number;
  scale: number;
  smoothing: number;
}

/** Logits of size b×c (normal × scale, a few rows with ties) and one-hot labels. */
function inputs({ b, c, scale }: Case, seed: number): [Float32Array, Float32Array] {
  const rng = makeRng(seed);
  const x = Float32Array.from({ length: b * c }, () => rng.normal() * scale);
  if (c > 1) for (let i = 0; i < b; i += 5) x[i * c + 1] = x[i * c]!; // a tied maximum now and then
  const y = new Float32Array(b * c);
  for (let i = 0; i < b; i++) y[i * c + Math.floor(rng.next() * c)] = 1;
  return [x, y];
}

/** The ops of dense-step.ts's loss and gradient without the kernel, and the gradient's column sums. */
function reference(logits: tf.Tensor2D, onehot: tf.Tensor2D, smoothing: number): tf.Tensor[] {
  let labels: tf.Tensor = onehot;
  if (smoothing > 0) {
    const s = tf.scalar(smoothing);
    labels = tf.add(tf.mul(onehot, tf.sub(tf.scalar(1), s)), tf.div(s, tf.scalar(onehot.shape[1])));
  }
  const b = logits.shape[0];
  const r = tf.sub(logits, tf.logSumExp(logits, [1], true));
  const loss = tf.div(tf.sum(tf.sum(tf.neg(tf.mul(r, labels)), [1])), tf.scalar(b));
  const d = tf.mul(tf.div(tf.scalar(1), tf.scalar(b)), tf.sub(tf.exp(r), labels));
  return [loss, d, tf.sum(d, [0])];
}

function run(c: Case, seed: number, kernel: boolean): Float32Array[] {
  const [x, y] = inputs(c, seed);
  return tf.tidy(() => {
    const logits = tf.tensor2d(x, [c.b, c.c]);
    const labels = tf.tensor2d(y, [c.b, c.c]);
    const attrs = { smoothing: c.smoothing } as unknown as NamedAttrMap;
    const out = kernel
      ? (tf.engine().runKernel(MIA_SOFTMAX_XENT, { logits, labels }, attrs) as tf.Tensor[])
      : reference(logits, labels, c.smoothing);
    return out.map((t) => t.dataSync() as Float32Array);
  });
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.slice().buffer));

const cases: Case[] = [
  { b: 64, c: 10, scale: 3, smoothing: 0 }, // the quickstart's batch
  { b: 40, c: 10, scale: 3, smoothing: 0 }, // its last batch
  { b: 128, c: 10, scale: 0.5, smoothing: 0.1 },
  { b: 7, c: 3, scale: 30, smoothing: 0.2 }, // large logits: exp underflows to 0 for most classes
  { b: 1, c: 2, scale: 1, smoothing: 0 },
  { b: 33, c: 100, scale: 5, smoothing: 0.05 },
];

describe('the fused softmax cross-entropy kernel', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    await tf.setBackend('wasm');
    expect(denseKernelsReady()).toBe(true);
  });

  it.each(cases)('%j: the loss, its gradient and the gradient column sums of the tf ops, bit for bit', async (c) => {
    const got = run(c, c.b + c.c, true);
    const want = run(c, c.b + c.c, false);
    expect(got.map((t) => t.length)).toEqual([1, c.b * c.c, c.c]);
    got.forEach((t, i) => expect(bits(t)).toEqual(bits(want[i]!)));
    await tf.setBackend('cpu');
    const cpu = run(c, c.b + c.c, false);
    await tf.setBackend('wasm');
    got.forEach((t, i) => t.forEach((v, j) => expect(Math.abs(v - cpu[i]![j]!)).toBeLessThan(1e-5)));
    expect(got[0]![0]).toBeGreaterThan(0);
  });

  it('leaves no tensor and no backend data behind', () => {
    const backend = tf.backend();
    const before = [tf.memory().numTensors, backend.numDataIds()];
    run(cases[0]!, 1, true);
    expect([tf.memory().numTensors, backend.numDataIds()]).toEqual(before);
  });
});

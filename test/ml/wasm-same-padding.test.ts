/**
 * `padding: same` on wasm equals the cpu backend (TensorFlow's definition) where XNNPACK's own same padding
 * did not: a stride larger than the kernel. The forward kernels (plain, fused, depthwise) and the gradients
 * through them, over shapes that pad on one side, both sides or not at all.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers'; // registers the gradients
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmGradKernels } from '../../src/ml/kernels/wasm-grad-kernels.js';
import { registerWasmSamePadding } from '../../src/ml/kernels/wasm-same-padding.js';

const data = (shape: number[], seed: number): number[] => {
  let a = seed;
  return Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return (a / 2147483648) * 2 - 1;
  });
};

/** The largest difference between wasm's and cpu's outputs of fn, relative to cpu's where that exceeds 1. */
async function gap(fn: () => tf.Tensor[]): Promise<number> {
  const outs: Float32Array[][] = [];
  for (const b of ['wasm', 'cpu']) {
    await tf.setBackend(b);
    outs.push(tf.tidy(() => fn().map((t) => t.dataSync() as Float32Array)));
  }
  let worst = 0;
  outs[0]!.forEach((w, i) => {
    expect(w.length).toBe(outs[1]![i]!.length);
    w.forEach((v, j) => {
      const want = outs[1]![i]![j]!;
      const e = Math.abs(v - want) / Math.max(1, Math.abs(want));
      if (!(e <= worst)) worst = e; // NaN too
    });
  });
  return worst;
}

/** A loss whose gradient depends on the forward values (so a wrong forward shows in the gradients). */
const loss = (t: tf.Tensor): tf.Scalar => tf.sum(tf.mul(t, tf.sin(tf.mul(t, 3))));

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmSamePadding();
  registerWasmGradKernels();
});

describe('same padding on wasm', () => {
  const cases: [number, number, number, number][] = [];
  for (const [k, s] of [
    [2, 3],
    [2, 4],
    [3, 4],
    [3, 5],
    [3, 1],
    [3, 2],
  ])
    for (const [h, w] of [
      [7, 7],
      [8, 8],
      [9, 6],
      [16, 16],
    ])
      cases.push([k!, s!, h!, w!]);

  it.each(cases)(
    'kernel %i, stride %i, %i×%i: conv, fused conv, depthwise and their gradients equal cpu',
    async (k, s, h, w) => {
      const x = () => tf.tensor4d(data([2, h, w, 3], 1), [2, h, w, 3]);
      const f = () => tf.tensor4d(data([k, k, 3, 4], 2), [k, k, 3, 4]);
      const d = () => tf.tensor4d(data([k, k, 3, 2], 3), [k, k, 3, 2]);
      const fused = (xx: tf.Tensor4D, ff: tf.Tensor4D) =>
        tf.fused.conv2d({ x: xx, filter: ff, strides: s, pad: 'same', bias: tf.ones([4]), activation: 'relu' });
      expect(await gap(() => [tf.conv2d(x(), f(), s, 'same')])).toBeLessThan(1e-5);
      expect(await gap(() => [fused(x(), f())])).toBeLessThan(1e-5);
      expect(await gap(() => [tf.depthwiseConv2d(x(), d(), s, 'same')])).toBeLessThan(1e-5);
      const grads = tf.grads((xx: tf.Tensor, ff: tf.Tensor) =>
        loss(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, s, 'same')),
      );
      expect(await gap(() => grads([x(), f()]))).toBeLessThan(1e-4);
      const dgrads = tf.grads((xx: tf.Tensor, dd: tf.Tensor) =>
        loss(tf.depthwiseConv2d(xx as tf.Tensor4D, dd as tf.Tensor4D, s, 'same')),
      );
      expect(await gap(() => dgrads([x(), d()]))).toBeLessThan(1e-4);
    },
  );
});

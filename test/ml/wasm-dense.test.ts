import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/ml/index.js';
import { type DenseAttrs, denseKernelsReady, MIA_DENSE, MIA_RELU_GRAD } from '../../src/ml/kernels/wasm-dense.js';
import { makeRng } from '../../src/util/rng.js';

// The wasm dense kernels against the tf ops they replace: within float tolerance of the cpu backend, and bit for
// bit equal to the wasm backend's own kernels (XNNPACK's products sum in the same order).

/** Values with about `zeros` of them exactly 0 (a sparse input like MNIST's pixels, or a relu's output). */
function values(n: number, seed: number, zeros = 0): Float32Array {
  const rng = makeRng(seed);
  return Float32Array.from({ length: n }, () => (rng.next() < zeros ? 0 : rng.normal()));
}

const bits = (t: tf.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

/** Within float32 rounding of a sum of `terms` products, relative to 1 + |want|. */
function closeTo(got: Float32Array, want: Float32Array, terms = 10): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
  expect(worst).toBeLessThan(1e-6 * Math.max(10, terms));
}

interface Case {
  m: number;
  k: number;
  n: number;
  zeros: number;
  attrs: Partial<DenseAttrs>;
  bias: boolean;
}

/** The tf ops the kernel stands for (dense-step.ts's general path). */
function reference({ attrs }: Case, a: tf.Tensor2D, b: tf.Tensor2D, bias: tf.Tensor1D | null): tf.Tensor {
  const [tA, tB] = [attrs.transposeA ?? false, attrs.transposeB ?? false];
  if (attrs.biasFirst && bias) return tf.fused.matMul({ a, b, bias, transposeA: tA, transposeB: tB });
  const z = tf.matMul(a, b, tA, tB);
  const zb = bias ? tf.add(z, bias) : z;
  return attrs.relu ? tf.relu(zb) : zb;
}

function tensors(c: Case, seed: number): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D | null] {
  const a = tf.tensor2d(values(c.m * c.k, seed, c.zeros), c.attrs.transposeA ? [c.k, c.m] : [c.m, c.k]);
  const b = tf.tensor2d(values(c.k * c.n, seed + 1), c.attrs.transposeB ? [c.n, c.k] : [c.k, c.n]);
  return [a, b, c.bias ? tf.tensor1d(values(c.n, seed + 2)) : null];
}

const kernel = (c: Case, a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor | null) =>
  tf.engine().runKernel(MIA_DENSE, bias ? { a, b, bias } : { a, b }, {
    transposeA: false,
    transposeB: false,
    biasFirst: false,
    relu: false,
    ...c.attrs,
  } as unknown as NamedAttrMap) as tf.Tensor;

const cases: Case[] = [
  { m: 64, k: 784, n: 128, zeros: 0.75, attrs: { relu: true }, bias: true }, // the quickstart's first layer
  { m: 784, k: 64, n: 128, zeros: 0.75, attrs: { transposeA: true }, bias: false }, // its weight gradient
  { m: 64, k: 128, n: 10, zeros: 0.5, attrs: { biasFirst: true }, bias: true }, // the output layer
  { m: 64, k: 10, n: 128, zeros: 0, attrs: { transposeB: true }, bias: false }, // the gradient into the hidden layer
  { m: 13, k: 29, n: 71, zeros: 0.3, attrs: { transposeA: true, transposeB: true }, bias: false }, // 32 + 32 + 4 + 3
  { m: 5, k: 1, n: 3, zeros: 0, attrs: { relu: true }, bias: false },
  { m: 7, k: 3, n: 6, zeros: 1, attrs: { biasFirst: true }, bias: true }, // all zeros: the bias alone
  { m: 300, k: 1000, n: 36, zeros: 0.2, attrs: {}, bias: true }, // more terms than one chunk of the scratch
];

describe('the wasm dense kernels', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    await tf.setBackend('wasm');
    expect(denseKernelsReady()).toBe(true);
  });

  it.each(cases)('MiaDense %j: agrees with cpu and equals the wasm ops bit for bit', async (c) => {
    const [a, b, bias] = tensors(c, c.m + c.k);
    const got = kernel(c, a, b, bias);
    expect(got.shape).toEqual([c.m, c.n]);
    expect(bits(got)).toEqual(bits(tf.tidy(() => reference(c, a, b, bias))));
    const wasmValues = got.dataSync() as Float32Array;
    tf.dispose([a, b, bias, got].filter((t) => t !== null));
    await tf.setBackend('cpu');
    const [ca, cb, cbias] = tensors(c, c.m + c.k);
    const want = tf.tidy(() => reference(c, ca, cb, cbias)).dataSync() as Float32Array;
    tf.dispose([ca, cb, cbias].filter((t) => t !== null));
    await tf.setBackend('wasm');
    closeTo(wasmValues, want, c.k);
  });

  it('MiaReluGrad gives dy · step(y) and its column sums, as Step, Multiply and Sum do', async () => {
    const run = () =>
      tf.tidy(() => {
        const dy = tf.tensor2d(values(64 * 40, 3), [64, 40]);
        const y = tf.relu(tf.tensor2d(values(64 * 40, 4), [64, 40]));
        const dz = tf.mul(dy, tf.step(y));
        const ops = [dz, tf.sum(dz, [0])];
        const mine =
          tf.getBackend() === 'wasm' ? (tf.engine().runKernel(MIA_RELU_GRAD, { dy, y }) as tf.Tensor[]) : ops;
        return [...ops, ...mine].map((t) => t.dataSync() as Float32Array);
      });
    const [dz, db, kdz, kdb] = run();
    expect(Array.from(kdz!)).toEqual(Array.from(dz!));
    expect(Array.from(kdb!)).toEqual(Array.from(db!));
    await tf.setBackend('cpu');
    const [cdz, cdb] = run();
    await tf.setBackend('wasm');
    closeTo(kdz!, cdz!);
    closeTo(kdb!, cdb!);
  });

  it('leaves no tensor and no backend data behind (the transposed copy of b is freed)', () => {
    const c = cases[4]!;
    const [a, b] = tensors(c, 1);
    const backend = tf.backend();
    const [tensorsBefore, dataBefore] = [tf.memory().numTensors, backend.numDataIds()];
    tf.tidy(() => {
      kernel(c, a, b, null);
    });
    expect([tf.memory().numTensors, backend.numDataIds()]).toEqual([tensorsBefore, dataBefore]);
    tf.dispose([a, b]);
  });
});

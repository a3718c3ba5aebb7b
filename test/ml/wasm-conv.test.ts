import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers'; // registers the gradients
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmConvKernels } from '../../src/ml/kernels/wasm-conv.js';
import { registerWasmGradKernels } from '../../src/ml/kernels/wasm-grad-kernels.js';

type Shape4 = [number, number, number, number];

/** Deterministic data in [-1, 1) (mulberry32); `relu`: negatives made 0, as after a relu. */
function random(size: number, seed: number, relu = false): Float32Array {
  const out = new Float32Array(size);
  let a = seed >>> 0;
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const v = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
    out[i] = relu ? Math.max(0, v) : v;
  }
  return out;
}

const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** fn on both backends (nothing leaked on wasm), its outputs read. */
async function onBoth(fn: () => tf.Tensor): Promise<[Float32Array, Float32Array]> {
  const out: Float32Array[] = [];
  for (const b of ['wasm', 'cpu']) {
    await tf.setBackend(b);
    const before = tf.memory().numTensors;
    out.push(tf.tidy(() => fn().dataSync() as Float32Array));
    expect(tf.memory().numTensors).toBe(before);
  }
  return [out[0]!, out[1]!];
}

function expectClose(got: Float32Array, want: Float32Array, tol: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!));
    if (!(e <= worst)) worst = e; // NaN too
  }
  expect(worst).toBeLessThan(tol);
}

let registered = false;
let nativeSum: tf.KernelConfig | undefined;
beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmGradKernels();
  nativeSum = tf.getKernel('Sum', 'wasm');
  registered = registerWasmConvKernels();
});

describe('registerWasmConvKernels', () => {
  it('replaces the filter gradient and MaxPoolGrad, idempotently, and leaves the forward conv to XNNPACK', () => {
    expect(registered).toBe(true);
    const filterGrad = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    expect(registerWasmConvKernels()).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(filterGrad);
    expect(tf.getKernel('Conv2D', 'wasm')?.kernelFunc.name).toBe('conv2d');
  });
});

describe('Conv2DBackpropFilter: wasm (im2col GEMM) vs cpu', () => {
  const shapes: Array<[Shape4, number]> = [
    [[2, 7, 7, 3], 5],
    [[3, 8, 6, 1], 33], // 33 filters: column blocks of 32 and 1
    [[1, 9, 10, 16], 6], // blocks of 4 and 1
    [[5, 6, 5, 2], 40],
    [[2, 9, 7, 8], 16], // channels in fours, filters in eights: the 4 × 8 tile (wasm-conv-tile.ts)
    [[3, 17, 17, 4], 24], // the tile over more pixels than a block (256)
  ];
  const cases = shapes.flatMap(([x, co]) =>
    [1, 2, 3, 5].flatMap((k) =>
      [1, 2, 3].flatMap((stride) =>
        (['same', 'valid'] as const)
          .filter((pad) => pad === 'same' || k <= Math.min(x[1], x[2]))
          .map((pad) => ({ x, co, k, stride, pad, relu: (k + stride) % 2 === 0 })),
      ),
    ),
  );
  it.each(cases)(
    'x $x, $k x $k x $co, stride $stride, $pad (relu-like x: $relu)',
    async ({ x, co, k, stride, pad, relu }) => {
      const f: Shape4 = [k, k, x[3], co];
      const [got, want] = await onBoth(() => {
        const xs = tf.tensor4d(random(sizeOf(x), 1, relu), x);
        const y = tf.conv2d(xs, tf.zeros<tf.Rank.R4>(f), stride, pad);
        const dy = tf.tensor4d(random(y.size, 2), y.shape);
        const attrs = { strides: stride, pad, dataFormat: 'NHWC', filterShape: f };
        return tf
          .engine()
          .runKernel('Conv2DBackpropFilter', { x: xs, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      });
      // each value a float32 sum over the output pixels, in another order than cpu's: rounding grows with their count
      const pixels = x[0] * Math.ceil(x[1] / stride) * Math.ceil(x[2] / stride);
      expectClose(got, want, Math.max(1e-5, 1e-7 * pixels));
    },
  );

  it('an NCHW filter gradient falls back to the previous kernel, still right', async () => {
    const [got, want] = await onBoth(() => {
      const x = tf.tensor4d(random(2 * 3 * 9 * 9, 3), [2, 3, 9, 9]);
      const dy = tf.tensor4d(random(2 * 4 * 9 * 9, 4), [2, 4, 9, 9]);
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] };
      return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    });
    expectClose(got, want, 1e-5);
  });

  it('a CNN layer in training: conv (same) + bias + relu, its filter gradient through the tape', async () => {
    const [got, want] = await onBoth(() =>
      tf.grad((f: tf.Tensor) => {
        const x = tf.tensor4d(random(4 * 12 * 12 * 3, 6), [4, 12, 12, 3]);
        const y = tf.relu(tf.add(tf.conv2d(x, f as tf.Tensor4D, 1, 'same'), tf.tensor1d(random(8, 7)))) as tf.Tensor4D;
        return tf.sum(tf.mul(tf.maxPool(y, 2, 2, 'valid'), tf.tensor(random(4 * 6 * 6 * 8, 8), [4, 6, 6, 8])));
      })(tf.tensor4d(random(3 * 3 * 3 * 8, 9), [3, 3, 3, 8])),
    );
    expectClose(got, want, 1e-5);
  });
});

describe('MaxPoolGrad: wasm (one loop) vs cpu', () => {
  const cases = [2, 3].flatMap((k) =>
    [1, 2, 3].flatMap((stride) =>
      (['same', 'valid'] as const).flatMap((pad) => [false, true].map((ties) => ({ k, stride, pad, ties }))),
    ),
  );
  it.each(cases)('pool $k stride $stride $pad (ties and zero windows: $ties)', async ({ k, stride, pad, ties }) => {
    const shape: Shape4 = [2, 9, 8, 5];
    const values = random(sizeOf(shape), 7).map((v) => (ties ? Math.min(0, Math.round(v * 3) / 3) : v));
    const [got, want] = await onBoth(() =>
      tf.grad((t: tf.Tensor) => {
        const y = tf.maxPool(t as tf.Tensor4D, k, stride, pad);
        return tf.sum(tf.mul(y, tf.tensor(random(y.size, 8), y.shape)));
      })(tf.tensor4d(values, shape)),
    );
    expectClose(got, want, 1e-6);
  });
});

describe('MaxPoolGrad of 2×2 windows of stride 2 (the tiled case: SIMD, or a plain loop) vs cpu', () => {
  const cases: Array<{ shape: Shape4; pad: 'same' | 'valid' }> = [
    { shape: [3, 8, 6, 7], pad: 'same' }, // even sizes: 'same' pads nothing (7 channels: the JavaScript loop)
    { shape: [2, 7, 9, 4], pad: 'valid' }, // odd sizes: the last row and column are in no window (SIMD)
    { shape: [2, 6, 8, 12], pad: 'valid' }, // channels in fours, every input in a window: SIMD, no zero fill
  ];
  it.each(cases)('$shape $pad, with ties, zeros, a NaN and -0 in dy', async ({ shape, pad }) => {
    const values = random(sizeOf(shape), 5).map((v, i) => (i % 3 === 0 ? Math.min(0, Math.round(v * 2) / 2) : v));
    values[5] = Number.NaN;
    const [got, want] = await onBoth(() =>
      tf.grad((t: tf.Tensor) => {
        const y = tf.maxPool(t as tf.Tensor4D, 2, 2, pad);
        const w = random(y.size, 9).map((v, i) => (i % 11 === 0 ? -0 : v));
        return tf.sum(tf.mul(y, tf.tensor(w, y.shape)));
      })(tf.tensor4d(values, shape)),
    );
    expect(got.some((v) => v !== 0)).toBe(true);
    expect(Array.from(got, (v) => (Object.is(v, -0) ? 'minus zero' : v))).toEqual(
      Array.from(want, (v) => (Object.is(v, -0) ? 'minus zero' : v)),
    );
  });
});

describe('Sum over all axes but the last (a bias gradient): bit for bit the native kernel', () => {
  const cases: Array<{ shape: number[]; axis: number | number[]; keepDims: boolean }> = [
    { shape: [32, 16, 16, 32], axis: [0, 1, 2], keepDims: false },
    { shape: [7, 5, 3, 37], axis: [0, 1, 2], keepDims: true },
    { shape: [7, 5, 3, 37], axis: [2, 0, 1], keepDims: true }, // not ours: the native order of terms differs
    { shape: [64, 10], axis: 0, keepDims: false },
    { shape: [9, 6], axis: -2, keepDims: true },
    { shape: [3, 1], axis: [0], keepDims: false },
    { shape: [4, 6, 3], axis: [0, 1, 2], keepDims: false }, // not ours: every axis
    { shape: [4, 6, 3], axis: [1, 2], keepDims: false }, // not ours: trailing axes
    { shape: [4, 6, 3], axis: [0, 2], keepDims: true }, // not ours
  ];
  it.each(cases)('$shape over $axis (keepDims $keepDims)', async ({ shape, axis, keepDims }) => {
    await tf.setBackend('wasm');
    const x = tf.tensor(
      random(sizeOf(shape), 11).map((v, i) => (i % 7 === 0 ? -0 : v * 1e3)),
      shape,
    );
    const attrs = { axis, keepDims } as unknown as tf.NamedAttrMap;
    const ours = tf.engine().runKernel('Sum', { x }, attrs) as tf.Tensor;
    const info = nativeSum!.kernelFunc({ inputs: { x }, attrs, backend: tf.backend() }) as tf.TensorInfo;
    const native = tf.engine().makeTensorFromTensorInfo(info);
    expect(ours.shape).toEqual(native.shape);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(native.dataSync()));
    tf.dispose([x, ours, native]);
  });
});

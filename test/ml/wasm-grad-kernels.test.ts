import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers'; // also registers the gradients
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradKernels } from '../../src/ml/kernels/wasm-grad-kernels.js';

type Backend = 'cpu' | 'wasm';
type Padding = 'same' | 'valid';
type Shape4 = [number, number, number, number];

/** Deterministic data in [-1, 1) (mulberry32). */
function random(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let a = seed >>> 0;
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Runs fn on a backend; fn must return plain arrays (read inside a tidy). */
async function on<T extends tf.TensorContainer>(backend: Backend, fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  expect(tf.getBackend()).toBe(backend);
  const before = tf.memory().numTensors;
  const result = tf.tidy(fn);
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

/** Max over elements of |a - e| / max(1, |e|). */
function maxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(err <= worst)) worst = err; // also catches NaN
  }
  return worst;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4): void {
  expect(maxError(actual, expected)).toBeLessThan(tol);
}

/** d/d(x, f) of sum(w * op(x, f)) for a random weighting w (so dy is not constant). */
function gradsOf(
  op: (x: tf.Tensor4D, f: tf.Tensor4D) => tf.Tensor4D,
  xShape: Shape4,
  fShape: Shape4,
): Float32Array[] {
  const x = tf.tensor4d(random(sizeOf(xShape), 1), xShape);
  const f = tf.tensor4d(random(sizeOf(fShape), 2), fShape);
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
    const y = op(a as tf.Tensor4D, b as tf.Tensor4D);
    return tf.sum(tf.mul(y, tf.tensor(random(y.size, 3), y.shape)));
  });
  return g([x, f]).map((t) => t.dataSync() as Float32Array);
}

beforeAll(async () => {
  registerWasmGradKernels();
  await tf.setBackend('wasm');
});

describe('registerWasmGradKernels', () => {
  it('registers the missing kernels once and is idempotent', () => {
    const first = registerWasmGradKernels();
    expect(first).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'MaxPoolGrad',
    ]);
    expect(registerWasmGradKernels()).toEqual(first);
    const needed = [
      ...first,
      'Conv2DBackpropInput',
      'AvgPoolGrad',
      'FusedConv2D',
      'FusedBatchNorm',
      'Step',
      'Softmax',
      'Sigmoid',
      'Tanh',
      'Relu',
    ];
    for (const name of needed) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
  });
});

describe('conv2d gradients: wasm vs cpu', () => {
  const configs: Array<{ n: number; h: number; w: number; ci: number; co: number }> = [
    { n: 1, h: 7, w: 7, ci: 1, co: 2 },
    { n: 3, h: 8, w: 6, ci: 3, co: 4 },
    { n: 2, h: 11, w: 10, ci: 5, co: 8 },
  ];
  const cases = configs.flatMap((c) =>
    [1, 3, 5].flatMap((k) =>
      [1, 2].flatMap((stride) => (['same', 'valid'] as Padding[]).map((pad) => ({ ...c, k, stride, pad }))),
    ),
  );
  it.each(cases)(
    'x [$n,$h,$w,$ci] filter $k x $k x $ci x $co stride $stride $pad',
    async ({ n, h, w, ci, co, k, stride, pad }) => {
      const op = (x: tf.Tensor4D, f: tf.Tensor4D): tf.Tensor4D => tf.conv2d(x, f, stride, pad);
      const xShape: Shape4 = [n, h, w, ci];
      const fShape: Shape4 = [k, k, ci, co];
      const ref = await on('cpu', () => gradsOf(op, xShape, fShape));
      const got = await on('wasm', () => gradsOf(op, xShape, fShape));
      expectClose(got[0], ref[0]); // input
      expectClose(got[1], ref[1]); // filter
    },
  );

  it('trains through tfjs-layers fused conv2d (bias + relu) identically', async () => {
    const op = (x: tf.Tensor4D, f: tf.Tensor4D): tf.Tensor4D =>
      tf.fused.conv2d({ x, filter: f, strides: 2, pad: 'same', bias: tf.scalar(0.1), activation: 'relu' });
    const ref = await on('cpu', () => gradsOf(op, [2, 9, 9, 3], [3, 3, 3, 6]));
    const got = await on('wasm', () => gradsOf(op, [2, 9, 9, 3], [3, 3, 3, 6]));
    expectClose(got[0], ref[0]);
    expectClose(got[1], ref[1]);
  });

  // Direct kernel calls: explicit / numeric padding and NCHW, which the tfjs-layers
  // path does not exercise.
  const kernelCases: Array<{
    label: string;
    xShape: Shape4;
    filterShape: Shape4;
    strides: number | [number, number];
    pad: Padding | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  }> = [
    {
      label: 'explicit pads NHWC',
      xShape: [2, 7, 8, 3],
      filterShape: [3, 2, 3, 4],
      strides: [2, 1],
      pad: [[0, 0], [1, 2], [0, 3], [0, 0]],
      dataFormat: 'NHWC',
    },
    {
      label: 'numeric pad with rounding',
      xShape: [2, 8, 8, 2],
      filterShape: [3, 3, 2, 3],
      strides: 2,
      pad: 1,
      dataFormat: 'NHWC',
      dimRoundingMode: 'ceil',
    },
    { label: 'same NCHW', xShape: [2, 3, 7, 6], filterShape: [3, 3, 3, 4], strides: 2, pad: 'same', dataFormat: 'NCHW' },
    { label: 'valid NCHW', xShape: [3, 2, 9, 9], filterShape: [5, 3, 2, 2], strides: 2, pad: 'valid', dataFormat: 'NCHW' },
    {
      label: 'explicit pads NCHW',
      xShape: [1, 2, 6, 6],
      filterShape: [3, 3, 2, 2],
      strides: 1,
      pad: [[0, 0], [0, 0], [2, 0], [1, 1]],
      dataFormat: 'NCHW',
    },
  ];
  it.each(kernelCases)('Conv2DBackpropFilter kernel: $label', async (c) => {
    const info = tf.backend_util.computeConv2DInfo(
      c.xShape,
      c.filterShape,
      c.strides,
      1,
      c.pad,
      c.dimRoundingMode,
      false,
      c.dataFormat === 'NHWC' ? 'channelsLast' : 'channelsFirst',
    );
    const run = (): Float32Array => {
      const x = tf.tensor4d(random(sizeOf(c.xShape), 4), c.xShape);
      const dy = tf.tensor4d(random(sizeOf(info.outShape), 5), info.outShape);
      const attrs = {
        strides: c.strides,
        pad: c.pad,
        dataFormat: c.dataFormat,
        dimRoundingMode: c.dimRoundingMode,
        filterShape: c.filterShape,
      };
      const dW = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap);
      expect((dW as tf.Tensor).shape).toEqual(c.filterShape);
      return (dW as tf.Tensor).dataSync() as Float32Array;
    };
    expectClose(await on('wasm', run), await on('cpu', run));
  });
});

describe('depthwiseConv2d gradients: wasm vs cpu', () => {
  const configs: Array<{ n: number; h: number; w: number; ch: number; mult: number }> = [
    { n: 1, h: 7, w: 7, ch: 1, mult: 1 },
    { n: 2, h: 8, w: 9, ch: 3, mult: 2 },
    { n: 3, h: 10, w: 6, ch: 4, mult: 1 },
  ];
  const cases = configs.flatMap((c) =>
    [1, 3, 5].flatMap((k) =>
      [1, 2].flatMap((stride) => (['same', 'valid'] as Padding[]).map((pad) => ({ ...c, k, stride, pad }))),
    ),
  );
  it.each(cases)(
    'x [$n,$h,$w,$ch] filter $k x $k x $ch x $mult stride $stride $pad',
    async ({ n, h, w, ch, mult, k, stride, pad }) => {
      const op = (x: tf.Tensor4D, f: tf.Tensor4D): tf.Tensor4D => tf.depthwiseConv2d(x, f, stride, pad);
      const xShape: Shape4 = [n, h, w, ch];
      const fShape: Shape4 = [k, k, ch, mult];
      const ref = await on('cpu', () => gradsOf(op, xShape, fShape));
      const got = await on('wasm', () => gradsOf(op, xShape, fShape));
      expectClose(got[0], ref[0]);
      expectClose(got[1], ref[1]);
    },
  );

  // tf.grads refuses dilated depthwise convs and the cpu backprop kernels ignore
  // dilations, so the reference is the cpu gradient of the equivalent undilated
  // conv with a zero-inserted filter.
  it.each([
    { pad: 'same' as Padding, dil: 2, k: 3, mult: 1 },
    { pad: 'valid' as Padding, dil: 2, k: 3, mult: 2 },
    { pad: 'same' as Padding, dil: 3, k: 2, mult: 2 },
  ])('dilated kernels ($pad, dilation $dil, k $k, mult $mult)', async ({ pad, dil, k, mult }) => {
    const xShape: Shape4 = [2, 9, 8, 3];
    const fShape: Shape4 = [k, k, 3, mult];
    const ke = (k - 1) * dil + 1;
    const zeroInserted = (f: Float32Array): tf.Tensor4D => {
      const out = new Float32Array(ke * ke * 3 * mult);
      for (let r = 0; r < k; r++)
        for (let c = 0; c < k; c++)
          for (let i = 0; i < 3 * mult; i++) out[(r * dil * ke + c * dil) * 3 * mult + i] = f[(r * k + c) * 3 * mult + i];
      return tf.tensor4d(out, [ke, ke, 3, mult]);
    };
    const ref = await on('cpu', () => {
      const x = tf.tensor4d(random(sizeOf(xShape), 1), xShape);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
        const y = tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad);
        return tf.sum(tf.mul(y, tf.tensor(random(y.size, 3), y.shape)));
      });
      const [dx, dBig] = g([x, zeroInserted(random(sizeOf(fShape), 2))]);
      const dF = dBig.dataSync();
      const dW = new Float32Array(sizeOf(fShape));
      for (let r = 0; r < k; r++)
        for (let c = 0; c < k; c++)
          for (let i = 0; i < 3 * mult; i++) dW[(r * k + c) * 3 * mult + i] = dF[(r * dil * ke + c * dil) * 3 * mult + i];
      return [dx.dataSync() as Float32Array, dW];
    });
    const got = await on('wasm', () => {
      const x = tf.tensor4d(random(sizeOf(xShape), 1), xShape);
      const f = random(sizeOf(fShape), 2);
      const filter = tf.tensor4d(f, fShape);
      // The forward pass must agree with the zero-inserted one.
      const y = tf.depthwiseConv2d(x, filter, 1, pad, 'NHWC', dil);
      const yRef = tf.depthwiseConv2d(x, zeroInserted(f), 1, pad);
      expectClose(y.dataSync(), yRef.dataSync());
      const dy = tf.tensor(random(y.size, 3), y.shape);
      const common = { strides: 1, pad, dilations: dil };
      const dx = tf.engine().runKernel(
        'DepthwiseConv2dNativeBackpropInput',
        { dy, filter },
        { ...common, inputShape: xShape } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor;
      const dW = tf.engine().runKernel(
        'DepthwiseConv2dNativeBackpropFilter',
        { x, dy },
        { ...common, filterShape: fShape } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor;
      return [dx.dataSync(), dW.dataSync()];
    });
    expectClose(got[0], ref[0]);
    expectClose(got[1], ref[1]);
  });
});

describe('pooling gradients: wasm vs cpu', () => {
  // MaxPoolGrad is replaced (the native one is wrong for windows <= 0 and for
  // ties); AvgPoolGrad is native. 'ties' data is relu-like and coarsely rounded,
  // so windows of zeros and repeated maxima are common: the gradient must go to
  // the first maximum, as on cpu.
  type PoolCase = {
    kind: 'max' | 'avg';
    k: number | [number, number];
    stride: number | [number, number];
    pad: Padding | number;
    data: 'random' | 'ties';
    roundingMode?: 'floor' | 'round' | 'ceil';
  };
  const cases: PoolCase[] = [2, 3].flatMap((k) =>
    [1, 2, 3].flatMap((stride) =>
      (['same', 'valid'] as Padding[]).flatMap((pad) => [
        { kind: 'max' as const, k, stride, pad, data: 'random' as const },
        { kind: 'max' as const, k, stride, pad, data: 'ties' as const },
        { kind: 'avg' as const, k, stride, pad, data: 'random' as const },
      ]),
    ),
  );
  cases.push(
    { kind: 'max', k: [2, 3], stride: [2, 1], pad: 'same', data: 'random' },
    { kind: 'max', k: [3, 2], stride: [1, 3], pad: 'valid', data: 'ties' },
    { kind: 'max', k: 3, stride: 2, pad: 1, data: 'random', roundingMode: 'floor' },
    { kind: 'max', k: 1, stride: 2, pad: 'valid', data: 'random' },
  );
  it.each(cases)('$kind pool $k stride $stride $pad ($data data)', async ({ kind, k, stride, pad, data, roundingMode }) => {
    const shape: Shape4 = [2, 9, 8, 3];
    const values = random(sizeOf(shape), 7).map((v) => (data === 'ties' ? Math.max(0, Math.round(v * 3) / 3) : v));
    const run = (): Float32Array => {
      const x = tf.tensor4d(values, shape);
      const pool = (t: tf.Tensor): tf.Tensor4D =>
        kind === 'max'
          ? tf.maxPool(t as tf.Tensor4D, k, stride, pad, roundingMode)
          : tf.avgPool(t as tf.Tensor4D, k, stride, pad, roundingMode);
      const g = tf.grad((t: tf.Tensor) => {
        const y = pool(t);
        return tf.sum(tf.mul(y, tf.tensor(random(y.size, 8), y.shape)));
      });
      return g(x).dataSync() as Float32Array;
    };
    expectClose(await on('wasm', run), await on('cpu', run));
  });
});

/** Weights of a model as plain arrays, to rebuild it on another backend. */
function snapshot(model: tfl.LayersModel): Array<{ data: Float32Array; shape: number[] }> {
  return model.getWeights().map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape }));
}

function restore(model: tfl.LayersModel, weights: Array<{ data: Float32Array; shape: number[] }>): void {
  tf.tidy(() => model.setWeights(weights.map((w) => tf.tensor(w.data, w.shape))));
}

describe('tfjs-layers backward pass: wasm vs cpu', () => {
  const build = (): tfl.Sequential =>
    tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [10, 10, 2], kernelSize: 3, filters: 4, padding: 'same', activation: 'relu' }),
        tfl.layers.batchNormalization(),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'tanh' }),
        tfl.layers.separableConv2d({ kernelSize: 3, filters: 5, strides: 2, padding: 'valid' }),
        tfl.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        tfl.layers.flatten(),
        tfl.layers.dropout({ rate: 0.3, seed: 11 }),
        tfl.layers.dense({ units: 6, activation: 'sigmoid' }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });

  it('gives the same gradients for every weight (training mode)', async () => {
    const xShape: Shape4 = [4, 10, 10, 2];
    const labels = [0, 1, 2, 1];
    let weights: Array<{ data: Float32Array; shape: number[] }> = [];
    const gradsOn = async (backend: Backend): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      const model = build();
      if (weights.length === 0) weights = snapshot(model);
      else restore(model, weights);
      const result = tf.tidy(() => {
        const x = tf.tensor4d(random(sizeOf(xShape), 9), xShape);
        const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
        const { value, grads } = tf.variableGrads(() => {
          const p = model.apply(x, { training: true }) as tf.Tensor;
          return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(p)), -1))) as tf.Scalar;
        });
        return [value.dataSync() as Float32Array, ...model.trainableWeights.map((w) => grads[w.originalName].dataSync() as Float32Array)];
      });
      model.dispose();
      return result;
    };
    const ref = await gradsOn('cpu');
    const got = await gradsOn('wasm');
    expect(got.length).toBe(ref.length);
    ref.forEach((r, i) => expectClose(got[i], r, 1e-4));
  });
});

describe('end to end: a tiny CNN trains the same on wasm and cpu', () => {
  it('matches losses over 20 steps and learns', async () => {
    const n = 32;
    const shape: Shape4 = [n, 12, 12, 1];
    const pixels = random(sizeOf(shape), 21);
    // Label: whether the top or the bottom half is brighter (or neither, clearly).
    const labels = Array.from({ length: n }, (_, b) => {
      let top = 0;
      let bottom = 0;
      for (let i = 0; i < 144; i++) {
        if (i < 72) top += pixels[b * 144 + i];
        else bottom += pixels[b * 144 + i];
      }
      return top > bottom + 2 ? 0 : bottom > top + 2 ? 1 : 2;
    });
    const train = async (backend: Backend): Promise<number[]> => {
      await tf.setBackend(backend);
      const model = tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [12, 12, 1], kernelSize: 3, filters: 8, activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      });
      // Same, deterministic initial weights on both backends (uniform, fan-in scaled).
      tf.tidy(() =>
        model.setWeights(
          model.getWeights().map((w, i) => {
            if (w.rank === 1) return tf.zeros(w.shape);
            const fanIn = sizeOf(w.shape.slice(0, -1));
            return tf.mul(tf.tensor(random(w.size, 100 + i), w.shape), Math.sqrt(3 / fanIn));
          }),
        ),
      );
      model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
      const x = tf.tensor4d(pixels, shape);
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
      const losses: number[] = [];
      for (let step = 0; step < 20; step++) {
        const loss = await model.trainOnBatch(x, y);
        losses.push(Array.isArray(loss) ? loss[0] : loss);
      }
      tf.dispose([x, y]);
      model.dispose();
      return losses;
    };
    const ref = await train('cpu');
    const got = await train('wasm');
    for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i] - ref[i])).toBeLessThan(1e-3);
    for (let i = 1; i < got.length; i++) expect(got[i]).toBeLessThan(got[i - 1]);
    expect(got[got.length - 1]).toBeLessThan(got[0] * 0.7);
  });
});

// Timing (not a correctness test): MIA_BENCH_WASM_GRAD=1 npx vitest run test/ml/wasm-grad-kernels.test.ts
describe.skipIf(!process.env.MIA_BENCH_WASM_GRAD)('timing: one epoch of a small CNN', () => {
  it('wasm vs cpu, 1000 images 28x28x1, batch 64', async () => {
    const shape: Shape4 = [1000, 28, 28, 1];
    const pixels = random(sizeOf(shape), 31);
    const labels = Array.from({ length: 1000 }, (_, i) => i % 10);
    for (const backend of ['wasm', 'cpu'] as Backend[]) {
      await tf.setBackend(backend);
      const model = tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 3, filters: 16, activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
      const x = tf.tensor4d(pixels, shape);
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
      const t0 = performance.now();
      await model.fit(x, y, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
      const ms = performance.now() - t0;
      console.log(`[timing] ${backend}: 1 epoch, 1000 x 28x28x1, batch 64: ${(ms / 1000).toFixed(2)} s`);
      tf.dispose([x, y]);
      model.dispose();
    }
  });
});

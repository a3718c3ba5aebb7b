import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers'; // also registers the gradients
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradKernels } from '../../src/ml/kernels/wasm-grad-kernels.js';

type Backend = 'cpu' | 'wasm';
type Padding = 'same' | 'valid';
type Shape4 = [number, number, number, number];
type Rounding = 'floor' | 'round' | 'ceil';

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

/** Runs fn (which returns plain arrays) in a tidy on a backend, checking that nothing leaks. */
async function on<T extends tf.TensorContainer>(backend: Backend, fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  expect(tf.getBackend()).toBe(backend);
  const tensors = tf.memory().numTensors;
  const dataIds = tf.engine().backend.numDataIds();
  const isTest = tf.env().getBool('IS_TEST');
  tf.env().set('IS_TEST', true); // the engine then checks every kernel for leaked data ids
  let result: T;
  try {
    result = tf.tidy(fn);
  } finally {
    tf.env().set('IS_TEST', isTest);
  }
  expect(tf.memory().numTensors).toBe(tensors);
  expect(tf.engine().backend.numDataIds()).toBe(dataIds);
  return result;
}

/** Max over elements of |a - e| / max(1, |e|): absolute error, relative where |e| > 1. */
function maxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!));
    if (!(err <= worst)) worst = err; // also catches NaN
  }
  return worst;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4): void {
  expect(maxError(actual, expected)).toBeLessThan(tol);
}

/** d/d(x, f) of sum(w * op(x, f)) for a random weighting w (so dy is not constant). */
function gradsOf(op: (x: tf.Tensor4D, f: tf.Tensor4D) => tf.Tensor4D, xShape: Shape4, fShape: Shape4): Float32Array[] {
  const x = tf.tensor4d(random(sizeOf(xShape), 1), xShape);
  const f = tf.tensor4d(random(sizeOf(fShape), 2), fShape);
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
    const y = op(a as tf.Tensor4D, b as tf.Tensor4D);
    return tf.sum(tf.mul(y, tf.tensor(random(y.size, 3), y.shape)));
  });
  return g([x, f]).map((t) => t.dataSync() as Float32Array);
}

/** Runs a kernel directly (for attributes the ops do not reach) and reads its output. */
function kernel(name: string, inputs: tf.NamedTensorMap, attrs: object): Float32Array {
  return (tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor).dataSync() as Float32Array;
}

let nativeMaxPoolGrad: tf.KernelConfig | undefined;

beforeAll(async () => {
  await tf.setBackend('wasm'); // initialises the native kernels, including MaxPoolGrad
  nativeMaxPoolGrad = tf.getKernel('MaxPoolGrad', 'wasm');
  registerWasmGradKernels();
});

describe('registerWasmGradKernels', () => {
  it('registers the missing kernels and the MaxPoolGrad fix, idempotently', () => {
    const names = registerWasmGradKernels();
    expect(names).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'MaxPoolGrad',
      'Conv2DBackpropInput',
    ]);
    expect(registerWasmGradKernels()).toEqual(names);
    expect(tf.getKernel('MaxPoolGrad', 'wasm')).not.toBe(nativeMaxPoolGrad);
    const native = ['AvgPoolGrad', 'FusedConv2D', 'FusedBatchNorm', 'Step', 'Softmax', 'Sigmoid', 'Tanh', 'Relu'];
    for (const name of [...names, ...native]) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
  });

  it('replaces a native MaxPoolGrad that misroutes windows of non-positive values', async () => {
    // 4x4 image, 2x2 windows with maxima 2, 3, 0 (tied) and -1 (tied): the gradient goes to
    // the first maximum of each, as on cpu. The native kernel sends the last two astray.
    const x = [-3, -1, -2, -4, 0.5, 2, 1, 3, 0, 0, -1, -1, -5, -6, -7, -8];
    const expected = [0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0];
    const grads = await on('wasm', () => {
      const input = tf.tensor4d(x, [1, 4, 4, 1]);
      const output = tf.maxPool(input, 2, 2, 'valid');
      const dy = tf.onesLike(output);
      const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
      const ours = kernel('MaxPoolGrad', { dy, input, output }, attrs);
      if (nativeMaxPoolGrad === undefined) throw new Error('no native MaxPoolGrad');
      const info = nativeMaxPoolGrad.kernelFunc({
        inputs: { dy, input, output },
        attrs,
        backend: tf.backend(),
      }) as tf.TensorInfo;
      const nativeOut = tf.engine().makeTensorFromTensorInfo(info);
      return [ours, nativeOut.dataSync() as Float32Array];
    });
    expect(Array.from(grads[0]!)).toEqual(expected);
    expect(Array.from(grads[1]!)).not.toEqual(expected);
  });
});

const spatialCases = <T extends object>(configs: T[]): Array<T & { k: number; stride: number; pad: Padding }> =>
  configs.flatMap((c) =>
    [1, 3, 5].flatMap((k) =>
      [1, 2].flatMap((stride) => (['same', 'valid'] as Padding[]).map((pad) => ({ ...c, k, stride, pad }))),
    ),
  );

describe('conv2d gradients: wasm vs cpu', () => {
  const cases = spatialCases([
    { n: 1, h: 7, w: 7, ci: 1, co: 2 },
    { n: 3, h: 8, w: 6, ci: 3, co: 4 },
    { n: 2, h: 11, w: 10, ci: 5, co: 8 },
  ]);
  it.each(cases)(
    'x [$n,$h,$w,$ci] filter $k x $k x $ci x $co stride $stride $pad',
    async ({ n, h, w, ci, co, k, stride, pad }) => {
      const op = (x: tf.Tensor4D, f: tf.Tensor4D): tf.Tensor4D => tf.conv2d(x, f, stride, pad);
      const ref = await on('cpu', () => gradsOf(op, [n, h, w, ci], [k, k, ci, co]));
      const got = await on('wasm', () => gradsOf(op, [n, h, w, ci], [k, k, ci, co]));
      expectClose(got[0]!, ref[0]!); // input
      expectClose(got[1]!, ref[1]!); // filter
    },
  );

  it('fused conv2d (bias + relu, as tfjs-layers uses it)', async () => {
    const op = (x: tf.Tensor4D, f: tf.Tensor4D): tf.Tensor4D =>
      tf.fused.conv2d({ x, filter: f, strides: 2, pad: 'same', bias: tf.scalar(0.1), activation: 'relu' });
    const ref = await on('cpu', () => gradsOf(op, [2, 9, 9, 3], [3, 3, 3, 6]));
    const got = await on('wasm', () => gradsOf(op, [2, 9, 9, 3], [3, 3, 3, 6]));
    expectClose(got[0]!, ref[0]!);
    expectClose(got[1]!, ref[1]!);
  });

  // Explicit / numeric padding (wider than the filter, too) and NCHW, which tfjs-layers does not reach.
  type KernelCase = {
    label: string;
    x: Shape4;
    f: Shape4;
    strides: number | [number, number];
    pad: Padding | number | tf.backend_util.ExplicitPadding;
    nchw?: boolean;
    rounding?: Rounding;
  };
  const kernelCases: KernelCase[] = [
    {
      label: 'explicit pads NHWC',
      x: [2, 7, 8, 3],
      f: [3, 2, 3, 4],
      strides: [2, 1],
      pad: [
        [0, 0],
        [1, 2],
        [0, 3],
        [0, 0],
      ],
    },
    { label: 'numeric pad, ceil', x: [2, 8, 8, 2], f: [3, 3, 2, 3], strides: 2, pad: 1, rounding: 'ceil' },
    { label: 'same NCHW', x: [2, 3, 7, 6], f: [3, 3, 3, 4], strides: 2, pad: 'same', nchw: true },
    { label: 'valid NCHW', x: [3, 2, 9, 9], f: [5, 3, 2, 2], strides: 2, pad: 'valid', nchw: true },
    {
      label: 'explicit pads NCHW',
      x: [1, 2, 6, 6],
      f: [3, 3, 2, 2],
      strides: 1,
      pad: [
        [0, 0],
        [0, 0],
        [2, 0],
        [1, 1],
      ],
      nchw: true,
    },
    {
      label: 'pads wider than the filter',
      x: [2, 6, 7, 2],
      f: [2, 2, 2, 3],
      strides: 2,
      pad: [
        [0, 0],
        [3, 1],
        [0, 4],
        [0, 0],
      ],
    },
  ];
  it.each(kernelCases)('Conv2DBackpropFilter and Conv2DBackpropInput kernels: $label', async (c) => {
    const info = tf.backend_util.computeConv2DInfo(
      c.x,
      c.f,
      c.strides,
      1,
      c.pad,
      c.rounding,
      false,
      c.nchw ? 'channelsFirst' : 'channelsLast',
    );
    const common = {
      strides: c.strides,
      pad: c.pad,
      dataFormat: c.nchw ? 'NCHW' : 'NHWC',
      dimRoundingMode: c.rounding,
    };
    const run = (): Float32Array[] => {
      const x = tf.tensor4d(random(sizeOf(c.x), 4), c.x);
      const filter = tf.tensor4d(random(sizeOf(c.f), 6), c.f);
      const dy = tf.tensor4d(random(sizeOf(info.outShape), 5), info.outShape);
      return [
        kernel('Conv2DBackpropFilter', { x, dy }, { ...common, filterShape: c.f }),
        kernel('Conv2DBackpropInput', { dy, filter }, { ...common, inputShape: c.x }),
      ];
    };
    const ref = await on('cpu', run);
    const got = await on('wasm', run);
    expectClose(got[0]!, ref[0]!);
    expectClose(got[1]!, ref[1]!);
  });
});

describe('depthwiseConv2d gradients: wasm vs cpu', () => {
  const cases = spatialCases([
    { n: 1, h: 7, w: 7, ch: 1, mult: 1 },
    { n: 2, h: 8, w: 9, ch: 3, mult: 2 },
    { n: 3, h: 10, w: 6, ch: 4, mult: 1 },
  ]);
  it.each(cases)(
    'x [$n,$h,$w,$ch] filter $k x $k x $ch x $mult stride $stride $pad',
    async ({ n, h, w, ch, mult, k, stride, pad }) => {
      const op = (x: tf.Tensor4D, f: tf.Tensor4D): tf.Tensor4D => tf.depthwiseConv2d(x, f, stride, pad);
      const ref = await on('cpu', () => gradsOf(op, [n, h, w, ch], [k, k, ch, mult]));
      const got = await on('wasm', () => gradsOf(op, [n, h, w, ch], [k, k, ch, mult]));
      expectClose(got[0]!, ref[0]!);
      expectClose(got[1]!, ref[1]!);
    },
  );

  // Explicit pads, including pads wider than the filter (the kernels then crop).
  it.each([
    {
      x: [2, 7, 8, 3] as Shape4,
      f: [2, 3, 3, 2] as Shape4,
      strides: 2,
      pad: [
        [0, 0],
        [3, 0],
        [0, 2],
        [0, 0],
      ] as tf.backend_util.ExplicitPadding,
    },
    {
      x: [1, 6, 6, 2] as Shape4,
      f: [3, 3, 2, 1] as Shape4,
      strides: 1,
      pad: [
        [0, 0],
        [0, 4],
        [1, 1],
        [0, 0],
      ] as tf.backend_util.ExplicitPadding,
    },
  ])('backprop kernels with explicit pads $pad', async ({ x: xShape, f: fShape, strides, pad }) => {
    const info = tf.backend_util.computeConv2DInfo(xShape, fShape, strides, 1, pad, undefined, true);
    const run = (): Float32Array[] => {
      const x = tf.tensor4d(random(sizeOf(xShape), 4), xShape);
      const filter = tf.tensor4d(random(sizeOf(fShape), 6), fShape);
      const dy = tf.tensor4d(random(sizeOf(info.outShape), 5), info.outShape);
      const common = { strides, pad, dilations: 1 };
      return [
        kernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...common, inputShape: xShape }),
        kernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...common, filterShape: fShape }),
      ];
    };
    const ref = await on('cpu', run);
    const got = await on('wasm', run);
    expectClose(got[0]!, ref[0]!);
    expectClose(got[1]!, ref[1]!);
  });

  // tf.grads refuses dilated depthwise convs and the cpu backprop kernels ignore dilations:
  // the reference is the cpu gradient of the same conv with a zero-inserted filter.
  it.each([
    { pad: 'same' as Padding, dil: 2, k: 3, mult: 1 },
    { pad: 'valid' as Padding, dil: 2, k: 3, mult: 2 },
    { pad: 'same' as Padding, dil: 3, k: 2, mult: 2 },
  ])('dilated backprop kernels ($pad, dilation $dil, k $k, mult $mult)', async ({ pad, dil, k, mult }) => {
    const xShape: Shape4 = [2, 9, 8, 3];
    const fShape: Shape4 = [k, k, 3, mult];
    const ke = (k - 1) * dil + 1;
    const inner = 3 * mult;
    const at = (r: number, c: number, size: number): number => (r * size + c) * inner;
    const zeroInserted = (f: Float32Array): tf.Tensor4D => {
      const out = new Float32Array(ke * ke * inner);
      for (let r = 0; r < k; r++)
        for (let c = 0; c < k; c++) out.set(f.subarray(at(r, c, k), at(r, c, k) + inner), at(r * dil, c * dil, ke));
      return tf.tensor4d(out, [ke, ke, 3, mult]);
    };
    const ref = await on('cpu', () => {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
        const y = tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad);
        return tf.sum(tf.mul(y, tf.tensor(random(y.size, 3), y.shape)));
      });
      const [dx, dBig] = g([tf.tensor4d(random(sizeOf(xShape), 1), xShape), zeroInserted(random(sizeOf(fShape), 2))]);
      if (dx === undefined || dBig === undefined) throw new Error('tf.grads gave fewer than two gradients');
      const big = dBig.dataSync();
      const dW = new Float32Array(sizeOf(fShape));
      for (let r = 0; r < k; r++)
        for (let c = 0; c < k; c++)
          dW.set(big.subarray(at(r * dil, c * dil, ke), at(r * dil, c * dil, ke) + inner), at(r, c, k));
      return [dx.dataSync() as Float32Array, dW];
    });
    const got = await on('wasm', () => {
      const x = tf.tensor4d(random(sizeOf(xShape), 1), xShape);
      const f = random(sizeOf(fShape), 2);
      const filter = tf.tensor4d(f, fShape);
      const y = tf.depthwiseConv2d(x, filter, 1, pad, 'NHWC', dil);
      expectClose(y.dataSync(), tf.depthwiseConv2d(x, zeroInserted(f), 1, pad).dataSync()); // same forward pass
      const dy = tf.tensor(random(y.size, 3), y.shape);
      const common = { strides: 1, pad, dilations: dil };
      return [
        kernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...common, inputShape: xShape }),
        kernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...common, filterShape: fShape }),
      ];
    });
    expectClose(got[0]!, ref[0]!);
    expectClose(got[1]!, ref[1]!);
  });
});

describe('pooling gradients: wasm vs cpu', () => {
  // MaxPoolGrad is ours, AvgPoolGrad native. 'ties' data is relu-like and coarsely rounded, so
  // windows of zeros and repeated maxima are common: the gradient must go to the first maximum.
  type PoolCase = {
    kind: 'max' | 'avg';
    k: number | [number, number];
    stride: number | [number, number];
    pad: Padding | number;
    data: 'random' | 'ties';
    rounding?: Rounding;
  };
  const cases: PoolCase[] = [2, 3].flatMap((k) =>
    [1, 2, 3].flatMap((stride) =>
      (['same', 'valid'] as Padding[]).flatMap((pad) =>
        (['max:random', 'max:ties', 'avg:random'] as const).map((v) => ({
          kind: v.startsWith('max') ? ('max' as const) : ('avg' as const),
          k,
          stride,
          pad,
          data: v.endsWith('ties') ? ('ties' as const) : ('random' as const),
        })),
      ),
    ),
  );
  cases.push(
    { kind: 'max', k: [2, 3], stride: [2, 1], pad: 'same', data: 'random' },
    { kind: 'max', k: [3, 2], stride: [1, 3], pad: 'valid', data: 'ties' },
    { kind: 'max', k: 3, stride: 2, pad: 1, data: 'random', rounding: 'floor' },
    { kind: 'max', k: 1, stride: 2, pad: 'valid', data: 'random' },
  );
  it.each(cases)('$kind pool $k stride $stride $pad ($data data)', async ({ kind, k, stride, pad, data, rounding }) => {
    const shape: Shape4 = [2, 9, 8, 3];
    const values = random(sizeOf(shape), 7).map((v) => (data === 'ties' ? Math.max(0, Math.round(v * 3) / 3) : v));
    const run = (): Float32Array => {
      const g = tf.grad((t: tf.Tensor) => {
        const x = t as tf.Tensor4D;
        const y = kind === 'max' ? tf.maxPool(x, k, stride, pad, rounding) : tf.avgPool(x, k, stride, pad, rounding);
        return tf.sum(tf.mul(y, tf.tensor(random(y.size, 8), y.shape)));
      });
      return g(tf.tensor4d(values, shape)).dataSync() as Float32Array;
    };
    expectClose(await on('wasm', run), await on('cpu', run));
  });
});

type Weights = Array<{ data: Float32Array; shape: number[] }>;

/** Builds a model on the current backend with the given weights, or records its initial ones. */
function withWeights(model: tfl.LayersModel, weights: Weights): tfl.LayersModel {
  if (weights.length === 0)
    model.getWeights().forEach((w) => weights.push({ data: w.dataSync() as Float32Array, shape: w.shape }));
  else tf.tidy(() => model.setWeights(weights.map((w) => tf.tensor(w.data, w.shape))));
  return model;
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
        tfl.layers.dropout({ rate: 0.3, seed: 11 }), // seeded: the same mask on both backends
        tfl.layers.dense({ units: 6, activation: 'sigmoid' }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });

  it('gives the same loss and gradient for every weight (training mode)', async () => {
    const weights: Weights = [];
    const gradsOn = async (backend: Backend): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      const model = withWeights(build(), weights);
      const result = tf.tidy(() => {
        const x = tf.tensor4d(random(4 * 10 * 10 * 2, 9), [4, 10, 10, 2]);
        const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
        const { value, grads } = tf.variableGrads(() => {
          const p = model.apply(x, { training: true }) as tf.Tensor;
          return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(p)), -1))) as tf.Scalar;
        });
        return [
          value.dataSync() as Float32Array,
          ...model.trainableWeights.map((w) => {
            const g = grads[w.originalName];
            if (g === undefined) throw new Error(`no gradient for ${w.originalName}`);
            return g.dataSync() as Float32Array;
          }),
        ];
      });
      model.dispose();
      return result;
    };
    const ref = await gradsOn('cpu');
    const got = await gradsOn('wasm');
    expect(got.length).toBe(ref.length);
    ref.forEach((r, i) => expectClose(got[i]!, r));
  });
});

describe('end to end: a tiny CNN trains the same on wasm and cpu', () => {
  it('matches the losses of 20 steps, which decrease', async () => {
    const n = 32;
    const pixels = random(n * 144, 21);
    // Label: whether the top or the bottom half is clearly brighter, or neither.
    const labels = Array.from({ length: n }, (_, b) => {
      const half = (from: number): number =>
        pixels.subarray(b * 144 + from, b * 144 + from + 72).reduce((s, v) => s + v, 0);
      const [top, bottom] = [half(0), half(72)];
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
      // The same deterministic initial weights on both backends (uniform, fan-in scaled).
      const init: Weights = model.getWeights().map((w, i) => ({
        shape: w.shape,
        data:
          w.rank === 1
            ? new Float32Array(w.size)
            : random(w.size, 100 + i).map((v) => v * Math.sqrt(3 / sizeOf(w.shape.slice(0, -1)))),
      }));
      withWeights(model, init);
      model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
      const x = tf.tensor4d(pixels, [n, 12, 12, 1]);
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
      const losses: number[] = [];
      for (let step = 0; step < 20; step++) {
        const loss = await model.trainOnBatch(x, y);
        losses.push(Array.isArray(loss) ? loss[0]! : loss);
      }
      tf.dispose([x, y]);
      model.dispose();
      return losses;
    };
    const ref = await train('cpu');
    const got = await train('wasm');
    for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThan(1e-3);
    for (let i = 1; i < got.length; i++) expect(got[i]!).toBeLessThan(got[i - 1]!);
    expect(got[got.length - 1]).toBeLessThan(got[0]! * 0.7);
  });
});

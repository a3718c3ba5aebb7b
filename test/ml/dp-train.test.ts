import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LayerDef, TrainDef } from '../../src/check/index.js';
import { clippedGradientSum, ghostClippingApplies } from '../../src/ml/dp/per-example.js';
import { poissonSample, trainModelDp } from '../../src/ml/dp-train.js';
import { buildModel, initBackend, queryLogits, trainModel, type TrainData } from '../../src/ml/index.js';
import { makeRng } from '../../src/util/rng.js';

/** Two classes, 20 features, the label the sign of a fixed projection (no label noise). */
function data(n: number, seed: number): TrainData {
  const rng = makeRng(seed);
  const x = new Float32Array(n * 20);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < 20; j++) {
      const v = rng.normal();
      x[r * 20 + j] = v;
      s += v * Math.sin(j + 1);
    }
    y[r] = s > 0 ? 1 : 0;
  }
  return { x, y, n, shape: [20], classes: 2 };
}

function accuracy(logits: Float32Array, d: TrainData): number {
  let ok = 0;
  for (let r = 0; r < d.n; r++) ok += (logits[2 * r + 1]! > logits[2 * r]! ? 1 : 0) === d.y[r] ? 1 : 0;
  return ok / d.n;
}

const weightsOf = (m: { getWeights(): tf.Tensor[] }): number[] =>
  m.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe('per-example clipped gradients', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('ghost clipping gives the norms and clipped sum of one backward pass per example', () => {
    const layers: LayerDef[] = [
      { kind: 'dense', units: 6, activation: 'tanh' },
      { kind: 'dense', units: 5, activation: 'relu' },
      { kind: 'dense', units: 'classes', activation: 'softmax' },
    ];
    // Image-shaped input: the model starts with a flatten layer.
    const model = buildModel({ layers, inputShape: [2, 3], classes: 3, seed: 3 });
    expect(ghostClippingApplies(model)).toBe(true);
    const rng = makeRng(1);
    const xb = tf.tensor(
      Float32Array.from({ length: 9 * 6 }, () => 2 * rng.normal()),
      [9, 2, 3],
    );
    const tb = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 1], 'int32'), 3), 'float32');
    const micro = clippedGradientSum(model, xb, tb, 1e9, 'microbatch');
    const norms = Array.from(micro.norms.dataSync()).sort((a, b) => a - b);
    const clip = norms[4]!; // about half the examples are clipped
    for (const c of [1e9, clip]) {
      const m = clippedGradientSum(model, xb, tb, c, 'microbatch');
      const g = clippedGradientSum(model, xb, tb, c, 'ghost');
      const mn = Array.from(m.norms.dataSync());
      Array.from(g.norms.dataSync()).forEach((v, i) => expect(Math.abs(v - mn[i]!)).toBeLessThan(1e-4 * (1 + mn[i]!)));
      expect(Object.keys(g.grads).sort()).toEqual(Object.keys(m.grads).sort());
      for (const [name, t] of Object.entries(m.grads)) {
        const a = t.dataSync();
        const b = g.grads[name]!.dataSync();
        a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-4));
      }
      expect(g.lossSum.dataSync()[0]).toBeCloseTo(m.lossSum.dataSync()[0]!, 4);
    }
    model.dispose();
  });

  it('falls back to one backward pass per example for conv layers', () => {
    const model = buildModel({
      layers: [
        { kind: 'conv2d', filters: 2, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
        { kind: 'flatten' },
        { kind: 'dense', units: 'classes', activation: 'softmax' },
      ],
      inputShape: [4, 4, 1],
      classes: 2,
      seed: 1,
    });
    expect(ghostClippingApplies(model)).toBe(false);
    expect(() => clippedGradientSum(model, tf.zeros([1, 4, 4, 1]), tf.ones([1, 2]), 1, 'ghost')).toThrow(/dense/);
    const r = clippedGradientSum(
      model,
      tf.randomNormal([3, 4, 4, 1], 0, 1, 'float32', 1),
      tf.ones([3, 2]),
      0.01,
      'microbatch',
    );
    const total = Math.sqrt(Object.values(r.grads).reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0]!, 0));
    expect(total).toBeLessThanOrEqual(3 * 0.01 + 1e-6); // each of 3 examples contributes at most C
    model.dispose();
  });
});

describe('DP-SGD training', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  const layers: LayerDef[] = [
    { kind: 'dense', units: 16, activation: 'relu' },
    { kind: 'dense', units: 'classes', activation: 'softmax' },
  ];
  const sgd = (rate: number, epochs: number, batch: number): TrainDef => ({
    optimizer: { kind: 'sgd', rate, momentum: 0 },
    epochs,
    batch,
    l2: 0,
    earlyStopping: null,
    labelSmoothing: 0,
  });

  it('Poisson batches: each record with probability q, independently', () => {
    const rng = makeRng(4);
    const counts = new Int32Array(200);
    let total = 0;
    for (let s = 0; s < 2000; s++)
      for (const i of poissonSample(200, 0.1, rng)) {
        counts[i]!++;
        total++;
      }
    expect(total / 2000).toBeGreaterThan(19);
    expect(total / 2000).toBeLessThan(21);
    for (const c of counts) expect(Math.abs(c - 200)).toBeLessThan(70); // binomial(2000, 0.1): sd ≈ 13.4
  });

  it('with no noise, a huge clip and q = 1 it is plain SGD on the mean loss', async () => {
    const d = data(64, 2);
    const a = buildModel({ layers, inputShape: [20], classes: 2, seed: 5 });
    const b = buildModel({ layers, inputShape: [20], classes: 2, seed: 5 });
    const out = await trainModelDp(a, d, sgd(0.5, 3, 64), { noise: 0, clip: 1e9 }, 1);
    expect(out).toMatchObject({ steps: 3, method: 'ghost' });
    await trainModel(b, d, sgd(0.5, 3, 64), 1);
    const wa = weightsOf(a);
    weightsOf(b).forEach((v, i) => expect(Math.abs(v - wa[i]!)).toBeLessThan(1e-5));
    a.dispose();
    b.dispose();
  });

  it('adds noise of standard deviation σC to the clipped sum, divided by the expected batch size', async () => {
    const d = data(64, 2);
    const model = buildModel({ layers, inputShape: [20], classes: 2, seed: 5 });
    const before = weightsOf(model);
    // One step of SGD with rate 1: Δw = −(clipped sum + noise) / 64, where the clipped sum (norm ≤ 64C) is
    // small against the noise (norm ≈ σC·√370 ≈ 1900C).
    await trainModelDp(model, d, sgd(1, 1, 64), { noise: 100, clip: 0.01 }, 3);
    const delta = weightsOf(model).map((w, i) => w - before[i]!);
    const sd = Math.sqrt(delta.reduce((s, v) => s + v * v, 0) / delta.length);
    expect(delta).toHaveLength(20 * 16 + 16 + 16 * 2 + 2);
    expect(Math.abs(sd / ((100 * 0.01) / 64) - 1)).toBeLessThan(0.12);
    model.dispose();
  });

  it('ghost clipping applies to dense models with dropout and activation layers', () => {
    const m = buildModel({
      layers: [
        { kind: 'dense', units: 8, activation: 'relu' },
        { kind: 'dropout', rate: 0.2 },
        { kind: 'dense', units: 'classes', activation: 'linear' },
        { kind: 'activation', activation: 'softmax' },
      ],
      inputShape: [20],
      classes: 2,
      seed: 1,
    });
    expect(ghostClippingApplies(m)).toBe(true);
    const r = clippedGradientSum(m, tf.ones([4, 20]), tf.fill([4, 2], 0.5), 0.5, 'ghost');
    expect(r.norms.shape).toEqual([4]);
    m.dispose();
  });

  it('trains to better than chance with noise, and is deterministic for a seed', async () => {
    const d = data(400, 3);
    const test = data(400, 4);
    const run = async () => {
      const m = buildModel({ layers, inputShape: [20], classes: 2, seed: 5 });
      await trainModelDp(
        m,
        d,
        { ...sgd(0.5, 8, 40), optimizer: { kind: 'adam', rate: 0.01 } },
        { noise: 1, clip: 1 },
        9,
      );
      const acc = accuracy(queryLogits(m, test.x, test.n, test.shape, 2), test);
      const w = weightsOf(m);
      m.dispose();
      return { acc, w };
    };
    const first = await run();
    expect(first.acc).toBeGreaterThan(0.75);
    expect((await run()).w).toEqual(first.w);
  });
});

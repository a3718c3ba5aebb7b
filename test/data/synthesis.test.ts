import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeByModel, synthesizeFromMarginals, syntheticPurchase } from '../../src/data/index.js';
import { buildModel, initBackend, queryLogits, trainModel } from '../../src/ml/index.js';

describe('statistics-based synthesis (marginals)', () => {
  it("draws each feature from its class's marginal, classes with their frequencies, seeded", () => {
    // class 0: feature 0 is always 1, feature 1 is 1 in a quarter; class 1: feature 0 never, feature 1 always. 3:1 classes.
    const rows = [
      [1, 1, 0],
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 1],
      [0, 1, 1],
    ];
    const src = {
      x: Float32Array.from(rows.flatMap((r) => r.slice(0, 2))),
      y: Int32Array.from(rows.map((r) => r[2]!)),
      n: 8,
      shape: [2],
      classes: 2,
      kind: 'tabular' as const,
    };
    const s = synthesizeFromMarginals(src, 4000, 3);
    expect(s).toMatchObject({ n: 4000, shape: [2], classes: 2 });
    const of = (c: number) => [...s.y.keys()].filter((i) => s.y[i] === c);
    const c0 = of(0);
    const c1 = of(1);
    expect(c0.length / 4000).toBeCloseTo(0.75, 1);
    expect(c0.every((i) => s.x[2 * i] === 1)).toBe(true);
    expect(c0.filter((i) => s.x[2 * i + 1] === 1).length / c0.length).toBeCloseTo(1 / 3, 1);
    expect(c1.every((i) => s.x[2 * i] === 0 && s.x[2 * i + 1] === 1)).toBe(true);
    expect(Array.from(synthesizeFromMarginals(src, 50, 3).x)).toEqual(Array.from(s.x.subarray(0, 100)));
  });
});

describe('model-based synthesis (Shokri et al., Algorithm 1)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('hill-climbs records a real trained model assigns to each class with high confidence, counting queries', async () => {
    const { dataset: d } = syntheticPurchase({ records: 400, features: 30, classes: 3, seed: 5, flip: 0.05 });
    const model = buildModel({
      layers: [{ kind: 'dense', units: 'classes', activation: 'softmax' }],
      inputShape: [30],
      classes: 3,
      seed: 1,
    });
    const train = {
      optimizer: { kind: 'adam' as const, rate: 0.05 },
      epochs: 15,
      batch: 32,
      l2: 0,
      earlyStopping: null,
      labelSmoothing: 0,
    };
    await trainModel(model, d, train, 2);
    let calls = 0;
    let records = 0;
    const query = (x: Float32Array, n: number): Float32Array => {
      calls++;
      records += n;
      return tf.tidy(() => tf.softmax(tf.tensor(queryLogits(model, x, n, [30], 3), [n, 3])).dataSync() as Float32Array);
    };
    const opts = { features: 30, classes: 3, seed: 9, confMin: 0.9, iterMax: 300 };
    const r = await synthesizeByModel(query, [4, 4, 4], opts);
    expect(r.queries).toBe(records);
    expect(calls).toBeLessThan(records); // batched
    expect(r.dataset.n + r.failures.reduce((a, b) => a + b, 0)).toBe(12);
    expect(r.dataset.n).toBeGreaterThanOrEqual(10);
    const p = query(r.dataset.x, r.dataset.n);
    for (let i = 0; i < r.dataset.n; i++) {
      const c = r.dataset.y[i]!;
      expect(p[i * 3 + c]).toBeGreaterThan(0.9);
    }
    expect(r.dataset.x.every((v) => v === 0 || v === 1)).toBe(true);
    // seeded and independent of the batch size
    const again = await synthesizeByModel(query, [4, 4, 4], { ...opts, batch: 5 });
    expect(Array.from(again.dataset.x)).toEqual(Array.from(r.dataset.x));
    expect(again.queries).toBe(r.queries);
    // a target that is never confident: every record fails after iterMax queries each
    const flat = await synthesizeByModel((_x, n) => new Float32Array(n * 3).fill(1 / 3), [2, 1, 0], {
      ...opts,
      iterMax: 20,
    });
    expect(flat.dataset.n).toBe(0);
    expect(flat.failures).toEqual([2, 1, 0]);
    expect(flat.queries).toBe(60);
  });
});

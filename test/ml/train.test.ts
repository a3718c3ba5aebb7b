import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainDef } from '../../src/check/index.js';
import { buildModel, initBackend, queryLogits, trainModel, type TrainData } from '../../src/ml/index.js';
import { TrainingDiverged } from '../../src/ml/train.js';
import { makeRng } from '../../src/util/rng.js';

/** A small two-class problem with label noise: 20 features, the label is the sign of a fixed projection, 20% flipped. */
function data(n: number, seed: number): TrainData {
  const rng = makeRng(seed);
  const w = Array.from({ length: 20 }, (_, i) => Math.sin(i + 1));
  const x = new Float32Array(n * 20);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < 20; j++) {
      const v = rng.normal();
      x[r * 20 + j] = v;
      s += v * w[j]!;
    }
    y[r] = (s > 0 ? 1 : 0) ^ (rng.next() < 0.2 ? 1 : 0);
  }
  return { x, y, n, shape: [20], classes: 2 };
}

const base: TrainDef = {
  optimizer: { kind: 'adam', rate: 0.01 },
  epochs: 40,
  batch: 16,
  l2: 0,
  earlyStopping: null,
  labelSmoothing: 0,
};
const layers = [
  { kind: 'dense' as const, units: 64, activation: 'relu' as const },
  { kind: 'dense' as const, units: 'classes' as const, activation: 'softmax' as const },
];

async function train(def: TrainDef, d: TrainData, validation?: TrainData) {
  const model = buildModel({ layers, inputShape: [20], classes: 2, seed: 11 });
  const outcome = await trainModel(model, d, def, 5, undefined, validation);
  const logits = queryLogits(model, d.x, d.n, d.shape, d.classes);
  const kernelNorm = tf.tidy(() =>
    model.trainableWeights
      .filter((w) => w.originalName.endsWith('kernel'))
      .reduce((s, w) => s + (tf.sum(tf.square(w.read())).dataSync()[0] ?? 0), 0),
  );
  model.dispose();
  return { outcome, logits, kernelNorm };
}

/** Mean probability of the true class. */
function meanTrueProb(logits: Float32Array, d: TrainData): number {
  let s = 0;
  for (let r = 0; r < d.n; r++) {
    const a = logits[2 * r]!,
      b = logits[2 * r + 1]!;
    const m = Math.max(a, b);
    const pa = Math.exp(a - m),
      pb = Math.exp(b - m);
    s += (d.y[r] === 0 ? pa : pb) / (pa + pb);
  }
  return s / d.n;
}

describe('training settings', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  const d = data(200, 1);

  it('is deterministic: the same data, settings and seed give the same weights', async () => {
    const a = await train(base, d);
    const b = await train(base, d);
    expect(Array.from(a.logits)).toEqual(Array.from(b.logits));
    expect(a.outcome.epochs).toBe(40);
  });

  it('l2 shrinks the kernels', async () => {
    const plain = await train(base, d);
    const l2 = await train({ ...base, l2: 0.01 }, d);
    expect(l2.kernelNorm).toBeLessThan(plain.kernelNorm * 0.5);
  });

  it('label smoothing keeps the true-class probability away from 1 on the training set', async () => {
    const plain = await train(base, d);
    const smooth = await train({ ...base, labelSmoothing: 0.3 }, d);
    expect(meanTrueProb(plain.logits, d)).toBeGreaterThan(0.9);
    // Smoothed targets put (1 − 0.3) + 0.3 / 2 = 0.85 on the true class.
    expect(meanTrueProb(smooth.logits, d)).toBeLessThan(0.87);
  });

  it('early stopping stops once the validation loss has not improved for `patience` epochs, keeping the best weights', async () => {
    const validation = data(200, 2);
    const es = await train({ ...base, epochs: 200, earlyStopping: { patience: 3, validation: 0.1 } }, d, validation);
    expect(es.outcome.epochs).toBeLessThan(200);
    expect(es.outcome.bestValidationLoss).not.toBeNull();
    const model = buildModel({ layers, inputShape: [20], classes: 2, seed: 11 });
    await trainModel(
      model,
      d,
      { ...base, epochs: 200, earlyStopping: { patience: 3, validation: 0.1 } },
      5,
      undefined,
      validation,
    );
    const v = tf.tidy(
      () =>
        tf.losses
          .softmaxCrossEntropy(
            tf.oneHot(tf.tensor1d(validation.y, 'int32'), 2),
            model.apply(tf.tensor2d(validation.x, [200, 20])) as tf.Tensor,
          )
          .dataSync()[0]!,
    );
    model.dispose();
    expect(v).toBeCloseTo(es.outcome.bestValidationLoss!, 5);
  });
});

describe('a diverged run', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  const d = data(200, 1);
  it.each([
    ['adam', { kind: 'adam', rate: 1e6 }],
    ['sgd', { kind: 'sgd', rate: 1e4, momentum: 0 }],
  ] as const)('fails with "diverged" and a hint to lower the learning rate (%s)', async (_, optimizer) => {
    const err = await train({ ...base, epochs: 5, optimizer }, d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingDiverged);
    expect((err as Error).message).toMatch(/^diverged: the training loss reached .* Lower the learning rate/);
  });
  it('leaves a run that converges alone', async () => {
    const ok = await train({ ...base, epochs: 3 }, d);
    expect(ok.outcome.finalLoss).toBeLessThan(1);
  });
});

describe('querying', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  it('gives each record the same logits whatever the batch it is queried in', async () => {
    const d = data(300, 3);
    const model = buildModel({ layers, inputShape: [20], classes: 2, seed: 11 });
    await trainModel(model, d, { ...base, epochs: 2 }, 5);
    const whole = queryLogits(model, d.x, d.n, d.shape, d.classes);
    const small = queryLogits(model, d.x, d.n, d.shape, d.classes, 7);
    model.dispose();
    expect(Array.from(small)).toEqual(Array.from(whole));
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayerDef, TrainDef } from '../../src/check/index.js';
import { buildModel, initBackend, queryLogits, trainModel, type TrainData } from '../../src/ml/index.js';
import { denseLayers } from '../../src/ml/dense-step.js';
import { makeRng } from '../../src/util/rng.js';

// The written-out dense step against the general path (tf.variableGrads of the tfjs-layers forward pass):
// the same model trained both ways must end with the same weights, bit for bit. A dropout of rate 0 after
// the output is a no-op that sends trainModel down the general path without changing any number.

/** 3 classes from 12 features laid out as a 4×3 image (so the model starts with a flatten). */
function data(n: number, seed: number, zeros = 0): TrainData {
  const rng = makeRng(seed);
  const x = new Float32Array(n * 12);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < 12; j++) {
      const v = rng.next() < zeros ? 0 : rng.normal(); // zeros: a sparse input (the wasm product skips them)
      x[r * 12 + j] = v;
      s += v * Math.sin(j + 1);
    }
    y[r] = s > 0.5 ? 2 : s > -0.5 ? 1 : 0;
  }
  return { x, y, n, shape: [4, 3], classes: 3 };
}

const def = (over: Partial<TrainDef> = {}): TrainDef => ({
  optimizer: { kind: 'adam', rate: 0.01 },
  epochs: 3,
  batch: 16,
  l2: 0,
  earlyStopping: null,
  labelSmoothing: 0,
  ...over,
});

const dense = (units: number | 'classes', activation: string): LayerDef =>
  ({ kind: 'dense', units, activation }) as LayerDef;
const mlp: LayerDef[] = [dense(16, 'relu'), dense(8, 'tanh'), dense(6, 'sigmoid'), dense('classes', 'softmax')];
const noOp: LayerDef = { kind: 'dropout', rate: 0 } as LayerDef;

async function weightsAfter(layers: LayerDef[], d: TrainDef, train: TrainData): Promise<Float32Array[]> {
  const model = buildModel({ layers, inputShape: [4, 3], classes: 3, seed: 5 });
  await trainModel(model, train, d, 9);
  const out = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.dispose();
  return out;
}

async function bothPaths(d: TrainDef, layers = mlp, zeros = 0): Promise<void> {
  const train = data(90, 3, zeros); // 90 records in batches of 16: the last batch has 10
  const general = await weightsAfter([...layers, noOp], d, train);
  const fused = await weightsAfter(layers, d, train);
  expect(fused.length).toBe(general.length);
  fused.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(general[i]!)));
}

describe.each(['wasm', 'cpu'])('the dense step on %s', (backend) => {
  beforeAll(async () => {
    await initBackend('wasm');
    await tf.setBackend(backend);
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it('is taken for dense layers only, and not with a dropout', () => {
    const build = (layers: LayerDef[]) => buildModel({ layers, inputShape: [4, 3], classes: 3, seed: 5 });
    const m = build(mlp);
    const withDropout = build([...mlp, noOp]);
    expect(denseLayers(m)?.map((l) => l.activation)).toEqual(['relu', 'tanh', 'sigmoid', 'linear']);
    expect(denseLayers(withDropout)).toBeNull();
    m.dispose();
    withDropout.dispose();
  });

  it('gives the weights of the general path, bit for bit, with Adam', async () => {
    await bothPaths(def());
  });

  it('... with label smoothing and with SGD with momentum', async () => {
    await bothPaths(def({ labelSmoothing: 0.1 }));
    await bothPaths(def({ optimizer: { kind: 'sgd', rate: 0.05, momentum: 0.9 }, epochs: 2 }));
  });

  it('... for the quickstart shape: one relu layer, then the softmax output', async () => {
    await bothPaths(def({ epochs: 2 }), [dense(32, 'relu'), dense('classes', 'softmax')]);
  });

  it('... with a sparse input (most features exactly 0)', async () => {
    await bothPaths(def({ epochs: 2 }), mlp, 0.7);
  });
});

describe('querying a dense model on wasm', () => {
  it('gives the logits of model.apply, bit for bit, on a sparse input and a bias with a −0', async () => {
    await initBackend('wasm');
    await tf.setBackend('wasm');
    const layers = [dense(16, 'relu'), dense(8, 'relu'), dense('classes', 'softmax')];
    const model = buildModel({ layers, inputShape: [4, 3], classes: 3, seed: 5 });
    const train = data(90, 3, 0.7);
    await trainModel(model, train, def({ epochs: 2 }), 9);
    const weights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    // the second layer's relu outputs all 0 and the output's first bias −0: XNNPACK's sum from −0 adds the
    // products 0·w, giving +0, and the kernel must not skip them
    weights[3]!.fill(-1000);
    weights[5]![0] = -0;
    model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i]!.shape)));
    const got = queryLogits(model, train.x, train.n, train.shape, train.classes, 32);
    const want = tf.tidy(() => model.apply(tf.tensor(train.x, [train.n, 4, 3])) as tf.Tensor).dataSync();
    expect(Array.from(new Uint32Array(got.buffer))).toEqual(Array.from(new Uint32Array(want.slice().buffer)));
    model.dispose();
  });
});

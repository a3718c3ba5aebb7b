/**
 * Training: a lean loop (optimizer.minimize over pre-shuffled batches) rather than model.fit, which is
 * faster on the wasm backend and fully seeded: same data, seed and backend → same weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { match } from 'ts-pattern';
import type { TrainDef } from '../check/index.js';
import { makeRng, permutation } from '../util/rng.js';

export interface TrainData { x: Float32Array; y: Int32Array; n: number; shape: number[]; classes: number }

export interface TrainProgress { epoch: number; epochs: number; loss: number }

function optimizerFor(def: TrainDef): tf.Optimizer {
  return match(def.optimizer)
    .with({ kind: 'adam' }, (o) => tf.train.adam(o.rate))
    .with({ kind: 'sgd' }, (o) => (o.momentum > 0 ? tf.train.momentum(o.rate, o.momentum) : tf.train.sgd(o.rate)))
    .with({ kind: 'rmsprop' }, (o) => tf.train.rmsprop(o.rate))
    .exhaustive();
}

export async function trainModel(
  model: tfl.LayersModel, data: TrainData, def: TrainDef, seed: number,
  onEpoch?: (p: TrainProgress) => void,
): Promise<{ finalLoss: number }> {
  const rng = makeRng(seed);
  const optimizer = optimizerFor(def);
  const features = data.shape.reduce((a, b) => a * b, 1);
  // Each batch is gathered by index from a 2-D matrix and reshaped (free) to the record shape. Not
  // tf.slice: the wasm backend's Slice kernel copies its whole input to the host on every call.
  const xAll = tf.tensor2d(data.x, [data.n, features], 'float32');
  const yAll = tf.oneHot(tf.tensor1d(data.y, 'int32'), data.classes);
  let finalLoss = NaN;
  try {
    for (let epoch = 0; epoch < def.epochs; epoch++) {
      const order = Int32Array.from(permutation(data.n, rng));
      let lossSum = 0;
      const lossTensors: tf.Scalar[] = [];
      for (let start = 0; start < data.n; start += def.batch) {
        const size = Math.min(def.batch, data.n - start);
        const idx = tf.tensor1d(order.subarray(start, start + size), 'int32');
        const xb = tf.tidy(() => tf.reshape(tf.gather(xAll, idx), [size, ...data.shape]));
        const yb = tf.gather(yAll, idx);
        idx.dispose();
        const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true }) as tf.Tensor), true);
        xb.dispose();
        yb.dispose();
        if (loss) lossTensors.push(tf.mul(loss, size) as tf.Scalar), loss.dispose();
      }
      for (const l of lossTensors) { lossSum += (await l.data())[0]!; l.dispose(); }
      finalLoss = lossSum / data.n;
      onEpoch?.({ epoch: epoch + 1, epochs: def.epochs, loss: finalLoss });
    }
  } finally {
    xAll.dispose();
    yAll.dispose();
    optimizer.dispose();
  }
  return { finalLoss };
}

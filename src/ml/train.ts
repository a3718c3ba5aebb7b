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
  // Batches are sliced from a 2-D matrix (fast on every backend) and reshaped (free) to the record shape.
  const xAll = tf.tensor2d(data.x, [data.n, features], 'float32');
  const yAll = tf.oneHot(tf.tensor1d(data.y, 'int32'), data.classes);
  let finalLoss = NaN;
  try {
    for (let epoch = 0; epoch < def.epochs; epoch++) {
      const order = tf.tensor1d(Int32Array.from(permutation(data.n, rng)), 'int32');
      const xs = tf.gather(xAll, order);
      const ys = tf.gather(yAll, order);
      order.dispose();
      let lossSum = 0;
      const lossTensors: tf.Scalar[] = [];
      for (let start = 0; start < data.n; start += def.batch) {
        const size = Math.min(def.batch, data.n - start);
        const xb = tf.reshape(tf.slice(xs, [start, 0], [size, features]), [size, ...data.shape]);
        const yb = tf.slice(ys, [start, 0], [size, data.classes]);
        const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true }) as tf.Tensor), true);
        xb.dispose();
        yb.dispose();
        if (loss) lossTensors.push(tf.mul(loss, size) as tf.Scalar), loss.dispose();
      }
      xs.dispose();
      ys.dispose();
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

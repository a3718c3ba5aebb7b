/**
 * Training: a lean loop (optimizer.minimize over seeded batches) rather than model.fit, which is
 * faster on the wasm backend and fully seeded: same data, seed and backend → same weights.
 * The loss is softmax cross-entropy on the logits (with label smoothing ε: targets (1 − ε)·y + ε/C),
 * plus l2 · Σ w² over the kernels (not the biases) when l2 > 0. With early stopping, the loss on the
 * validation records is computed after each epoch; training stops once it has not improved for
 * `patience` epochs, and the weights of the best epoch are kept.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { match } from 'ts-pattern';
import type { TrainDef } from '../check/index.js';
import { makeRng, permutation } from '../util/rng.js';

export interface TrainData {
  x: Float32Array;
  y: Int32Array;
  n: number;
  shape: number[];
  classes: number;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  loss: number;
  validationLoss?: number;
}

/** After each batch: where training is; `loss()` reads the epoch's mean loss so far (a sync read; call it sparingly). */
export interface BatchProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  records: number;
  loss: () => number;
}

export interface TrainOutcome {
  finalLoss: number;
  epochs: number;
  bestValidationLoss: number | null;
}

function optimizerFor(def: TrainDef): tf.Optimizer {
  return match(def.optimizer)
    .with({ kind: 'adam' }, (o) => tf.train.adam(o.rate))
    .with({ kind: 'sgd' }, (o) => (o.momentum > 0 ? tf.train.momentum(o.rate, o.momentum) : tf.train.sgd(o.rate)))
    .with({ kind: 'rmsprop' }, (o) => tf.train.rmsprop(o.rate))
    .exhaustive();
}

/** The kernels of the model's dense and conv layers (what l2 penalises). */
function kernels(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.filter((w) => w.originalName.endsWith('kernel')).map((w) => w.read() as tf.Variable);
}

export async function trainModel(
  model: tfl.LayersModel,
  data: TrainData,
  def: TrainDef,
  seed: number,
  onEpoch?: (p: TrainProgress) => void,
  validation?: TrainData,
  onBatch?: (b: BatchProgress) => void,
): Promise<TrainOutcome> {
  const rng = makeRng(seed);
  const optimizer = optimizerFor(def);
  const features = data.shape.reduce((a, b) => a * b, 1);
  // Each batch is gathered by index from a 2-D matrix and reshaped (free) to the record shape. Not
  // tf.slice: the wasm backend's Slice kernel copies its whole input to the host on every call.
  const xAll = tf.tensor2d(data.x, [data.n, features], 'float32');
  const yAll = tf.oneHot(tf.tensor1d(data.y, 'int32'), data.classes);
  const penalised = def.l2 > 0 ? kernels(model) : [];
  const smoothing = def.labelSmoothing;
  const lossOf = (yb: tf.Tensor, xb: tf.Tensor, training: boolean): tf.Scalar => {
    const ce = tf.losses.softmaxCrossEntropy(
      yb,
      model.apply(xb, { training }) as tf.Tensor,
      undefined,
      smoothing,
    ) as tf.Scalar;
    if (penalised.length === 0) return ce;
    return tf.add(ce, tf.mul(def.l2, tf.addN(penalised.map((k) => tf.sum(tf.square(k)))))) as tf.Scalar;
  };
  const stopping = validation && def.earlyStopping ? def.earlyStopping : null;
  const xVal = stopping && validation ? tf.tensor(validation.x, [validation.n, ...validation.shape], 'float32') : null;
  const yVal = stopping && validation ? tf.oneHot(tf.tensor1d(validation.y, 'int32'), validation.classes) : null;
  let best: { loss: number; epoch: number; weights: tf.Tensor[] } | null = null;
  let finalLoss = NaN;
  let epochsRun = 0;
  try {
    for (let epoch = 0; epoch < def.epochs; epoch++) {
      const order = Int32Array.from(permutation(data.n, rng));
      let lossSum = 0;
      const lossTensors: tf.Scalar[] = [];
      const batches = Math.ceil(data.n / def.batch);
      const readLoss = (): number => {
        for (const l of lossTensors.splice(0)) (lossSum += l.dataSync()[0]!), l.dispose();
        return lossSum;
      };
      for (let start = 0; start < data.n; start += def.batch) {
        const size = Math.min(def.batch, data.n - start);
        const idx = tf.tensor1d(order.subarray(start, start + size), 'int32');
        const xb = tf.tidy(() => tf.reshape(tf.gather(xAll, idx), [size, ...data.shape]));
        const yb = tf.gather(yAll, idx);
        idx.dispose();
        const loss = optimizer.minimize(() => lossOf(yb, xb, true), true);
        xb.dispose();
        yb.dispose();
        if (loss) lossTensors.push(tf.mul(loss, size) as tf.Scalar), loss.dispose();
        const records = start + size;
        onBatch?.({
          epoch: epoch + 1,
          epochs: def.epochs,
          batch: start / def.batch + 1,
          batches,
          records,
          loss: () => readLoss() / records,
        });
      }
      for (const l of lossTensors) {
        lossSum += (await l.data())[0]!;
        l.dispose();
      }
      finalLoss = lossSum / data.n;
      epochsRun = epoch + 1;
      let validationLoss: number | undefined;
      if (stopping && xVal && yVal) {
        const v = tf.tidy(() =>
          tf.losses.softmaxCrossEntropy(yVal, model.apply(xVal, { training: false }) as tf.Tensor),
        );
        validationLoss = (await v.data())[0]!;
        v.dispose();
        if (!best || validationLoss < best.loss) {
          best?.weights.forEach((w) => w.dispose());
          best = { loss: validationLoss, epoch, weights: model.getWeights().map((w) => tf.clone(w)) };
        }
      }
      onEpoch?.({
        epoch: epoch + 1,
        epochs: def.epochs,
        loss: finalLoss,
        ...(validationLoss !== undefined ? { validationLoss } : {}),
      });
      if (stopping && best && epoch - best.epoch >= stopping.patience) break;
    }
    if (best) model.setWeights(best.weights);
  } finally {
    xAll.dispose();
    yAll.dispose();
    xVal?.dispose();
    yVal?.dispose();
    best?.weights.forEach((w) => w.dispose());
    optimizer.dispose();
  }
  return { finalLoss, epochs: epochsRun, bestValidationLoss: best?.loss ?? null };
}

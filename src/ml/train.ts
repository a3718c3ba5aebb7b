/**
 * Training: a lean loop over seeded batches rather than model.fit, which is faster on the wasm backend
 * and fully seeded: same data, seed and backend → same weights. Per step: one batch copied in from the
 * host, the gradients (tf.variableGrads), and on wasm with Adam one fused in-place update of all weights
 * (FusedAdam, bit-identical to tf.train.adam); elsewhere the tfjs optimizer. The loss is read every step
 * (a 4-byte copy on wasm), and a run whose loss is not finite or above DIVERGED_LOSS fails as diverged.
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
import { FusedAdam } from './fused-adam.js';

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

/** A diverged run: the loss is no longer a number worth reporting. */
export class TrainingDiverged extends Error {}

/** Losses above this (or not finite) mean the run diverged. Cross-entropy over C classes starts near ln C. */
export const DIVERGED_LOSS = 1e6;

function checkLoss(loss: number, epoch: number, def: TrainDef): void {
  if (Number.isFinite(loss) && loss <= DIVERGED_LOSS) return;
  const rate = def.optimizer.rate;
  throw new TrainingDiverged(
    `diverged: the training loss reached ${loss} in epoch ${epoch + 1}. Lower the learning rate (now ${rate}; ` +
      `try ${rate / 10}).`,
  );
}

/**
 * Batches built on the host: rows copied from the training matrix by index into one reused buffer
 * (wasm copies a tensor's values into its heap when it is made), the labels one-hot encoded beside
 * them. Not tf.gather: on the wasm backend it takes ~4 ms for 64 MNIST rows, most of a training step.
 */
function batcher(data: TrainData): (order: Int32Array, start: number, size: number) => [tf.Tensor, tf.Tensor] {
  const features = data.shape.reduce((a, b) => a * b, 1);
  const reuse = tf.getBackend() === 'wasm';
  const buffers = new Map<number, [Float32Array, Float32Array]>(); // by batch size: full and last
  return (order, start, size) => {
    let pair = reuse ? buffers.get(size) : undefined;
    if (pair) pair[1].fill(0);
    else {
      pair = [new Float32Array(size * features), new Float32Array(size * data.classes)];
      if (reuse) buffers.set(size, pair);
    }
    const [xs, ys] = pair;
    for (let i = 0; i < size; i++) {
      const r = order[start + i]!;
      xs.set(data.x.subarray(r * features, (r + 1) * features), i * features);
      ys[i * data.classes + data.y[r]!] = 1;
    }
    return [tf.tensor(xs, [size, ...data.shape], 'float32'), tf.tensor2d(ys, [size, data.classes], 'float32')];
  };
}

/** One optimisation step: the loss's value (before the update). */
type Step = (loss: () => tf.Scalar) => number;

function stepper(model: tfl.LayersModel, def: TrainDef): { step: Step; dispose: () => void } {
  if (def.optimizer.kind === 'adam' && FusedAdam.supported()) {
    const adam = new FusedAdam(def.optimizer.rate);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    return {
      step: (loss) => {
        const { value, grads } = tf.variableGrads(loss, vars);
        adam.apply(
          vars,
          vars.map((v) => grads[v.name]!),
        );
        const l = (value.dataSync() as Float32Array)[0]!;
        tf.dispose([value, ...Object.values(grads)]);
        return l;
      },
      dispose: () => adam.dispose(),
    };
  }
  const optimizer = optimizerFor(def);
  return {
    step: (loss) => {
      const value = optimizer.minimize(loss, true)!;
      const l = (value.dataSync() as Float32Array)[0]!;
      value.dispose();
      return l;
    },
    dispose: () => optimizer.dispose(),
  };
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
  const { step, dispose } = stepper(model, def);
  const batch = batcher(data);
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
      const batches = Math.ceil(data.n / def.batch);
      for (let start = 0; start < data.n; start += def.batch) {
        const size = Math.min(def.batch, data.n - start);
        const [xb, yb] = batch(order, start, size);
        const loss = step(() => lossOf(yb, xb, true));
        xb.dispose();
        yb.dispose();
        checkLoss(loss, epoch, def);
        // as a float32 product, like the tensor (loss × size) it replaces
        lossSum += Math.fround(loss * size);
        const records = start + size;
        const sum = lossSum;
        onBatch?.({
          epoch: epoch + 1,
          epochs: def.epochs,
          batch: start / def.batch + 1,
          batches,
          records,
          loss: () => sum / records,
        });
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
          // copies, not tf.clone: the fused optimizer updates the weights in place
          best = {
            loss: validationLoss,
            epoch,
            weights: model.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)),
          };
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
    xVal?.dispose();
    yVal?.dispose();
    best?.weights.forEach((w) => w.dispose());
    dispose();
  }
  return { finalLoss, epochs: epochsRun, bestValidationLoss: best?.loss ?? null };
}

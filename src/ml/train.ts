/**
 * Training: a lean loop over seeded batches rather than model.fit, which is faster on the wasm backend
 * and fully seeded: same data, seed and backend → same weights. Per step: one batch copied in from the
 * host, the gradients (for a model of dense layers only and no l2, written out in dense-step.ts, which
 * gives the same numbers as the tape in half the kernels; otherwise tf.variableGrads), and on wasm with
 * Adam one fused in-place update of all weights (FusedAdam, bit-identical to tf.train.adam); elsewhere
 * the tfjs optimizer (both from the optimizer's descriptor, src/ml/optimizers/), after the gradient
 * transforms of the training settings that have one (grad_clip, src/ml/train-settings/). The loss is read every step
 * (a 4-byte copy on wasm), and a run whose loss is not finite or above DIVERGED_LOSS fails as diverged.
 * The loss is softmax cross-entropy on the logits (with label smoothing ε: targets (1 − ε)·y + ε/C),
 * plus l2 · Σ w² over the kernels (not the biases) when l2 > 0. With early stopping, the loss on the
 * validation records is computed after each epoch; training stops once it has not improved for
 * `patience` epochs, and the weights of the best epoch are kept.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainDef } from '../kinds/program.js';
import { makeRng, permutation } from '../util/rng.js';
import { denseGradients, denseLayers } from './dense-step.js';
import { fusedUpdateFor, optimizerFor } from './optimizer.js';
import { gradientTransform } from './train-settings/index.js';

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
function batcher(
  data: TrainData,
  flat: boolean,
): (order: Int32Array, start: number, size: number) => [tf.Tensor, tf.Tensor] {
  const features = data.shape.reduce((a, b) => a * b, 1);
  const shape = flat ? [features] : data.shape;
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
    return [tf.tensor(xs, [size, ...shape], 'float32'), tf.tensor2d(ys, [size, data.classes], 'float32')];
  };
}

/** One optimisation step on a batch (features, one-hot labels): the loss's value (before the update). */
type Step = (xb: tf.Tensor, yb: tf.Tensor) => number;

/**
 * The update of all trainable weights by their gradients (same order), after the training settings'
 * gradient transforms (grad_clip): the optimizer's fused update where it has one (Adam on wasm), else
 * the tfjs optimizer.
 */
function updater(model: tfl.LayersModel, def: TrainDef): { update: Updater; dispose: () => void } {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const fused = fusedUpdateFor(def);
  const optimizer = fused ? null : optimizerFor(def);
  const apply: Updater = fused
    ? (grads) => fused.apply(vars, grads)
    : (grads) => optimizer!.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, grads[i]!])));
  const transform = gradientTransform(def);
  return {
    update: transform
      ? (grads) => {
          const changed = transform(grads);
          apply(changed);
          tf.dispose(changed);
        }
      : apply,
    dispose: () => (fused ? fused.dispose() : optimizer!.dispose()),
  };
}

type Updater = (grads: tf.Tensor[]) => void;

/**
 * The step: for a model of dense layers only without l2, the written-out gradients of dense-step.ts
 * (bit-identical to the tape's, without its overhead); otherwise tf.variableGrads of `lossOf`.
 */
function stepper(
  model: tfl.LayersModel,
  def: TrainDef,
  lossOf: LossOf,
): { step: Step; dense: boolean; dispose: () => void } {
  const layers = def.l2 > 0 ? null : denseLayers(model);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { update, dispose } = updater(model, def);
  const finish = (value: tf.Tensor, grads: tf.Tensor[]): number => {
    update(grads);
    const l = (value.dataSync() as Float32Array)[0]!;
    tf.dispose([value, ...grads]);
    return l;
  };
  if (layers) {
    const step: Step = (xb, yb) => {
      const { loss, grads } = denseGradients(layers, xb as tf.Tensor2D, yb as tf.Tensor2D, def.labelSmoothing);
      return finish(loss, grads);
    };
    return { step, dense: true, dispose };
  }
  const step: Step = (xb, yb) => {
    const { value, grads } = tf.variableGrads(() => lossOf(yb, xb, true), vars);
    return finish(
      value,
      vars.map((v) => grads[v.name]!),
    );
  };
  return { step, dense: false, dispose };
}

type LossOf = (yb: tf.Tensor, xb: tf.Tensor, training: boolean) => tf.Scalar;

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
  const { step, dense, dispose } = stepper(model, def, lossFunction(model, def));
  const batch = batcher(data, dense);
  const stopping = validation && def.earlyStopping ? new EarlyStopping(model, validation, def.earlyStopping) : null;
  let finalLoss = NaN;
  let epochsRun = 0;
  try {
    for (let epoch = 0; epoch < def.epochs; epoch++) {
      const order = Int32Array.from(permutation(data.n, rng));
      finalLoss = trainEpoch({ data, def, epoch, order, step, batch, onBatch }) / data.n;
      epochsRun = epoch + 1;
      const validationLoss = stopping ? await stopping.observe(epoch) : undefined;
      onEpoch?.({
        epoch: epoch + 1,
        epochs: def.epochs,
        loss: finalLoss,
        ...(validationLoss !== undefined ? { validationLoss } : {}),
      });
      if (stopping?.exhausted(epoch)) break;
    }
    stopping?.restoreBest();
  } finally {
    stopping?.dispose();
    dispose();
  }
  return { finalLoss, epochs: epochsRun, bestValidationLoss: stopping?.bestLoss ?? null };
}

/** Softmax cross-entropy on the logits (with label smoothing), plus l2 · Σ w² over the kernels when l2 > 0. */
function lossFunction(model: tfl.LayersModel, def: TrainDef): LossOf {
  const penalised = def.l2 > 0 ? kernels(model) : [];
  const smoothing = def.labelSmoothing;
  return (yb, xb, training) => {
    const ce = tf.losses.softmaxCrossEntropy(
      yb,
      model.apply(xb, { training }) as tf.Tensor,
      undefined,
      smoothing,
    ) as tf.Scalar;
    if (penalised.length === 0) return ce;
    return tf.add(ce, tf.mul(def.l2, tf.addN(penalised.map((k) => tf.sum(tf.square(k)))))) as tf.Scalar;
  };
}

/** One epoch: a step on each batch of `order` in turn; returns the sum of the batches' loss × size. */
function trainEpoch(e: {
  data: TrainData;
  def: TrainDef;
  epoch: number;
  order: Int32Array;
  step: Step;
  batch: ReturnType<typeof batcher>;
  onBatch: ((b: BatchProgress) => void) | undefined;
}): number {
  const { data, def, epoch, order, step, batch, onBatch } = e;
  let lossSum = 0;
  const batches = Math.ceil(data.n / def.batch);
  for (let start = 0; start < data.n; start += def.batch) {
    const size = Math.min(def.batch, data.n - start);
    const [xb, yb] = batch(order, start, size);
    const loss = step(xb, yb);
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
  return lossSum;
}

/**
 * Early stopping: the loss on the validation records after each epoch, a copy of the weights of the best
 * epoch so far, and whether `patience` epochs have passed without improving on it.
 */
class EarlyStopping {
  private readonly x: tf.Tensor;
  private readonly y: tf.Tensor;
  private best: { loss: number; epoch: number; weights: tf.Tensor[] } | null = null;

  constructor(
    private readonly model: tfl.LayersModel,
    validation: TrainData,
    private readonly settings: { patience: number },
  ) {
    this.x = tf.tensor(validation.x, [validation.n, ...validation.shape], 'float32');
    this.y = tf.oneHot(tf.tensor1d(validation.y, 'int32'), validation.classes);
  }

  get bestLoss(): number | null {
    return this.best?.loss ?? null;
  }

  /** The validation loss after `epoch`; keeps the weights when it is the best so far. */
  async observe(epoch: number): Promise<number> {
    const { model } = this;
    const v = tf.tidy(() =>
      tf.losses.softmaxCrossEntropy(this.y, model.apply(this.x, { training: false }) as tf.Tensor),
    );
    const loss = (await v.data())[0]!;
    v.dispose();
    if (!this.best || loss < this.best.loss) {
      this.best?.weights.forEach((w) => w.dispose());
      // copies, not tf.clone: the fused optimizer updates the weights in place
      this.best = { loss, epoch, weights: model.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)) };
    }
    return loss;
  }

  exhausted(epoch: number): boolean {
    return this.best !== null && epoch - this.best.epoch >= this.settings.patience;
  }

  restoreBest(): void {
    if (this.best) this.model.setWeights(this.best.weights);
  }

  dispose(): void {
    this.x.dispose();
    this.y.dispose();
    this.best?.weights.forEach((w) => w.dispose());
  }
}

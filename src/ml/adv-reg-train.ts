/**
 * Adversarial regularisation (Nasr, Shokri & Houmansadr 2018, "Machine Learning with Membership Privacy
 * using Adversarial Regularization"): the classifier f is trained against an inference model h(f(x), y)
 * that tries to tell its training records (members) from a reference set drawn from the same distribution.
 * For each classifier batch: `steps` (k) steps of h maximising its gain
 *   G = mean_{members} log h(f(x), y) + mean_{reference} log(1 − h(f(x'), y')),
 * then one step of f on mean CE(f(x), y) + α · mean_{members} log h(f(x), y) (h fixed): f is pushed to
 * make its members look like non-members to h. The paper's Algorithm 1.
 *
 * h here is the paper's design, smaller: the probability vector and the one-hot label each go through a
 * dense layer (32 units; summed, which is a dense layer on their concatenation), then ReLU, 16 ReLU units
 * and one sigmoid output. Label smoothing and l2 apply to the classifier's loss as in trainModel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainDef } from '../kinds/program.js';
import { makeRng, permutation, type Rng } from '../util/rng.js';
import { optimizerFor } from './optimizer.js';
import type { TrainData, TrainOutcome, TrainProgress } from './train.js';

export interface AdvRegSettings {
  /** α (the paper's λ): the weight of the inference gain in the classifier's loss. */
  alpha: number;
  /** k: steps of the inference model per step of the classifier (default 1). */
  steps?: number;
  /** The reference (non-member) records the inference model learns to tell apart from the members. */
  reference: TrainData;
  /** The inference model's Adam learning rate (default 1e-3). */
  inferenceRate?: number;
}

export interface AdvRegProgress extends TrainProgress {
  /** The inference model's mean output on the members and on the reference set after this epoch. */
  memberScore: number;
  referenceScore: number;
}

export interface AdvRegOutcome extends TrainOutcome {
  memberScore: number;
  referenceScore: number;
}

interface Inference {
  vars: tf.Variable[];
  /** The logit of h for probabilities p and one-hot labels y. */
  logit(p: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D;
}

function inferenceModel(classes: number, rng: Rng): Inference {
  const glorot = (i: number, o: number) =>
    tf.variable(tf.randomUniform([i, o], -Math.sqrt(6 / (i + o)), Math.sqrt(6 / (i + o)), 'float32', rng.seed()));
  const wp = glorot(classes, 32);
  const wy = glorot(classes, 32);
  const b1 = tf.variable(tf.zeros([32]));
  const w2 = glorot(32, 16);
  const b2 = tf.variable(tf.zeros([16]));
  const w3 = glorot(16, 1);
  const b3 = tf.variable(tf.zeros([1]));
  return {
    vars: [wp, wy, b1, w2, b2, w3, b3],
    logit: (p, y) => {
      const h1 = tf.relu(tf.add(tf.add(tf.matMul(p, wp), tf.matMul(y, wy)), b1));
      const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
      return tf.reshape(tf.add(tf.matMul(h2, w3), b3), [-1]) as tf.Tensor1D;
    },
  };
}

interface Tensors {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  shape: number[];
  n: number;
}

function tensorsOf(d: TrainData): Tensors {
  const features = d.shape.reduce((a, b) => a * b, 1);
  return {
    x: tf.tensor2d(d.x, [d.n, features], 'float32'),
    y: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(d.y, 'int32'), d.classes), 'float32') as tf.Tensor2D),
    shape: d.shape,
    n: d.n,
  };
}

/** A batch (inputs in the record shape, one-hot labels) of the given records. */
function batchOf(t: Tensors, idx: ArrayLike<number>): { xb: tf.Tensor; yb: tf.Tensor2D } {
  return tf.tidy(() => {
    const i = tf.tensor1d(Int32Array.from(idx), 'int32');
    return { xb: tf.reshape(tf.gather(t.x, i), [idx.length, ...t.shape]), yb: tf.gather(t.y, i) as tf.Tensor2D };
  });
}

const sample = (n: number, size: number, rng: Rng): number[] => Array.from({ length: size }, () => rng.int(n));

/** Mean output of h on all records of a set. */
function meanScore(model: tfl.LayersModel, h: Inference, t: Tensors): number {
  return tf.tidy(() => {
    const p = tf.softmax(model.apply(tf.reshape(t.x, [t.n, ...t.shape]), { training: false }) as tf.Tensor2D);
    return tf.mean(tf.sigmoid(h.logit(p as tf.Tensor2D, t.y))).dataSync()[0]!;
  });
}

export async function trainModelAdvReg(
  model: tfl.LayersModel,
  data: TrainData,
  def: TrainDef,
  adv: AdvRegSettings,
  seed: number,
  onEpoch?: (p: AdvRegProgress) => void,
): Promise<AdvRegOutcome> {
  const rng = makeRng(seed);
  const optimizer = optimizerFor(def);
  const hOptimizer = tf.train.adam(adv.inferenceRate ?? 1e-3);
  const members = tensorsOf(data);
  const reference = tensorsOf(adv.reference);
  const h = inferenceModel(data.classes, rng);
  const game: Game = { model, h, members, reference, def, rng };
  let finalLoss = Number.NaN;
  let scores = { memberScore: Number.NaN, referenceScore: Number.NaN };
  try {
    for (let epoch = 0; epoch < def.epochs; epoch++) {
      const losses = classifierEpoch(game, adv, optimizer, () => inferenceStep(game, hOptimizer));
      let sum = 0;
      for (const l of losses) sum += (await l.data())[0]!;
      tf.dispose(losses);
      finalLoss = sum / data.n;
      scores = { memberScore: meanScore(model, h, members), referenceScore: meanScore(model, h, reference) };
      onEpoch?.({ epoch: epoch + 1, epochs: def.epochs, loss: finalLoss, ...scores });
    }
  } finally {
    tf.dispose([members.x, members.y, reference.x, reference.y, ...h.vars]);
    optimizer.dispose();
    hOptimizer.dispose();
  }
  return { finalLoss, epochs: def.epochs, bestValidationLoss: null, ...scores };
}

/** The two players (classifier f and inference model h), their data and the seeded draws of both. */
interface Game {
  model: tfl.LayersModel;
  h: Inference;
  members: Tensors;
  reference: Tensors;
  def: TrainDef;
  rng: Rng;
}

const probsOf = (model: tfl.LayersModel, xb: tf.Tensor, training: boolean) =>
  tf.softmax(model.apply(xb, { training }) as tf.Tensor) as tf.Tensor2D;

/** One step of h maximising its gain G on a random batch of members and one of the reference set. */
function inferenceStep(g: Game, hOptimizer: tf.Optimizer): void {
  const { model, h, members, reference, def, rng } = g;
  const m = batchOf(members, sample(members.n, def.batch, rng));
  const r = batchOf(reference, sample(reference.n, def.batch, rng));
  hOptimizer.minimize(
    () => {
      const lm = h.logit(probsOf(model, m.xb, false), m.yb);
      const lr = h.logit(probsOf(model, r.xb, false), r.yb);
      // −G: binary cross-entropy of h with members as 1 and the reference as 0.
      return tf.add(tf.mean(tf.softplus(tf.neg(lm))), tf.mean(tf.softplus(lr))) as tf.Scalar;
    },
    false,
    h.vars,
  );
  tf.dispose([m.xb, m.yb, r.xb, r.yb]);
}

/**
 * One epoch of the classifier over a seeded order of the members: before each batch, k steps of h; then
 * one step of f on CE + α · mean log h (+ l2). Returns each batch's CE × size (kept tensors, read by the caller).
 */
function classifierEpoch(g: Game, adv: AdvRegSettings, optimizer: tf.Optimizer, hStep: () => void): tf.Scalar[] {
  const { model, h, members, def, rng } = g;
  const fVars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const kernels = fVars.filter((v) => v.name.endsWith('kernel'));
  const order = permutation(members.n, rng);
  const losses: tf.Scalar[] = [];
  for (let start = 0; start < members.n; start += def.batch) {
    for (let k = 0; k < (adv.steps ?? 1); k++) hStep();
    const idx = order.slice(start, start + def.batch);
    const { xb, yb } = batchOf(members, idx);
    const loss = optimizer.minimize(
      () => {
        const logits = model.apply(xb, { training: true }) as tf.Tensor2D;
        const ce = tf.losses.softmaxCrossEntropy(yb, logits, undefined, def.labelSmoothing) as tf.Scalar;
        const gain = tf.mean(tf.neg(tf.softplus(tf.neg(h.logit(tf.softmax(logits) as tf.Tensor2D, yb))))); // mean log h
        const l2 = def.l2 > 0 ? tf.mul(def.l2, tf.addN(kernels.map((w) => tf.sum(tf.square(w))))) : tf.scalar(0);
        losses.push(tf.keep(tf.mul(ce, idx.length) as tf.Scalar));
        return tf.add(tf.add(ce, tf.mul(adv.alpha, gain)), l2) as tf.Scalar;
      },
      false,
      fVars,
    );
    loss?.dispose();
    tf.dispose([xb, yb]);
  }
  return losses;
}

/**
 * DP-SGD training (Abadi et al. 2016) with the interface of trainModel: each step samples a Poisson batch
 * (every record independently with probability q = batch/N, as the RDP accountant assumes), clips each
 * example's gradient to norm C, adds Gaussian noise of standard deviation σC to the sum and divides by the
 * expected batch size qN = batch; the optimizer then applies that gradient. ⌈epochs · N / batch⌉ steps in
 * all, as src/defenses/accountant/rdp.ts counts them. Per-example gradients by ghost clipping where the model
 * is a chain of dense layers, else one backward pass per example (src/ml/dp/per-example.ts).
 *
 * Label smoothing applies to the per-example loss; l2 is data-independent, so its gradient 2·l2·W is added
 * after the noise. Early stopping is not applied (its validation loss would need its own accounting).
 * Seeded: the batches and the noise come from src/util/rng.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainDef } from '../kinds/program.js';
import { makeRng, type Rng } from '../util/rng.js';
import { optimizerFor } from './optimizer.js';
import { clippedGradientSum, ghostClippingApplies, type PerExampleMethod } from './dp/per-example.js';
import type { TrainData, TrainOutcome, TrainProgress } from './train.js';

export interface DpSettings {
  /** The noise multiplier σ. */
  noise: number;
  /** The clipping norm C. */
  clip: number;
  /** How per-example gradients are computed; 'auto' (the default): ghost where the model allows it. */
  method?: PerExampleMethod | 'auto';
}

export interface DpTrainOutcome extends TrainOutcome {
  steps: number;
  method: PerExampleMethod;
}

/** A Poisson sample of 0..n−1 at rate q, by geometric skips (O(qn) draws rather than n). */
export function poissonSample(n: number, q: number, rng: Rng): Int32Array {
  if (q >= 1) return Int32Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  const logSkip = Math.log1p(-q);
  for (
    let i = Math.floor(Math.log(1 - rng.next()) / logSkip);
    i < n;
    i += 1 + Math.floor(Math.log(1 - rng.next()) / logSkip)
  )
    out.push(i);
  return Int32Array.from(out);
}

/** Gaussian noise drawn on the host from the seeded generator (tf.randomNormal is ~10x slower on wasm). */
function gaussian(shape: number[], sd: number, rng: Rng): tf.Tensor {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = sd * rng.normal();
  return tf.tensor(out, shape, 'float32');
}

/** One DP-SGD step on the records `idx`; returns the summed (unclipped) loss of the batch. */
function dpStep(
  model: tfl.LayersModel,
  all: { x: tf.Tensor2D; targets: tf.Tensor2D; shape: number[] },
  idx: Int32Array,
  def: TrainDef,
  dp: { noise: number; clip: number; method: PerExampleMethod },
  optimizer: tf.Optimizer,
  rng: Rng,
): tf.Scalar {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const it = tf.tensor1d(idx, 'int32');
  const xb = tf.tidy(() => tf.reshape(tf.gather(all.x, it), [idx.length, ...all.shape]));
  const tb = tf.gather(all.targets, it);
  const { norms, grads, lossSum } = clippedGradientSum(model, xb, tb, dp.clip, dp.method);
  const noisy = tf.tidy(() =>
    Object.fromEntries(
      vars.map((v) => {
        const sum = grads[v.name] ?? tf.zerosLike(v);
        const noise = dp.noise > 0 ? gaussian(v.shape, dp.noise * dp.clip, rng) : null;
        let g = tf.div(noise ? tf.add(sum, noise) : sum, def.batch);
        if (def.l2 > 0 && v.name.endsWith('kernel')) g = tf.add(g, tf.mul(2 * def.l2, v));
        return [v.name, g];
      }),
    ),
  );
  optimizer.applyGradients(noisy);
  tf.dispose([it, xb, tb, norms, ...Object.values(grads), ...Object.values(noisy)]);
  return lossSum;
}

export async function trainModelDp(
  model: tfl.LayersModel,
  data: TrainData,
  def: TrainDef,
  dp: DpSettings,
  seed: number,
  onEpoch?: (p: TrainProgress) => void,
): Promise<DpTrainOutcome> {
  if (!(dp.noise >= 0) || !(dp.clip > 0))
    throw new RangeError(`DP-SGD needs noise ≥ 0 and clip > 0 (${dp.noise}, ${dp.clip})`);
  const method: PerExampleMethod =
    dp.method === undefined || dp.method === 'auto'
      ? ghostClippingApplies(model)
        ? 'ghost'
        : 'microbatch'
      : dp.method;
  const rng = makeRng(seed);
  const optimizer = optimizerFor(def);
  const features = data.shape.reduce((a, b) => a * b, 1);
  const eps = def.labelSmoothing;
  const all = {
    x: tf.tensor2d(data.x, [data.n, features], 'float32'),
    targets: tf.tidy(() => {
      const y = tf.cast(tf.oneHot(tf.tensor1d(data.y, 'int32'), data.classes), 'float32');
      return (eps > 0 ? tf.add(tf.mul(y, 1 - eps), eps / data.classes) : y) as tf.Tensor2D;
    }),
    shape: data.shape,
  };
  const q = Math.min(1, def.batch / data.n);
  const totalSteps = Math.ceil((def.epochs * data.n) / def.batch);
  let step = 0;
  let finalLoss = Number.NaN;
  try {
    for (let epoch = 0; epoch < def.epochs; epoch++) {
      const until = epoch === def.epochs - 1 ? totalSteps : Math.round(((epoch + 1) * data.n) / def.batch);
      const losses: tf.Scalar[] = [];
      let seen = 0;
      for (; step < until; step++) {
        const idx = poissonSample(data.n, q, rng);
        seen += idx.length;
        losses.push(dpStep(model, all, idx, def, { ...dp, method }, optimizer, rng));
      }
      let sum = 0;
      for (const l of losses) sum += (await l.data())[0]!;
      tf.dispose(losses);
      finalLoss = sum / Math.max(seen, 1);
      onEpoch?.({ epoch: epoch + 1, epochs: def.epochs, loss: finalLoss });
    }
  } finally {
    tf.dispose([all.x, all.targets]);
    optimizer.dispose();
  }
  return { finalLoss, epochs: def.epochs, bestValidationLoss: null, steps: totalSteps, method };
}

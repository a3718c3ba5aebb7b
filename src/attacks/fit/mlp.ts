/**
 * A small binary MLP classifier in float64: one hidden ReLU layer, a sigmoid output, log-loss with
 * an L2 penalty, Adam on seeded mini-batches (defaults as scikit-learn's MLPClassifier where they
 * apply: Adam 1e-3, alpha 1e-4, Glorot-uniform initialisation; 64 hidden units as Shokri et al.).
 * Deterministic for a seed: same data and seed, same weights, on any machine.
 */
import { makeRng, type Rng, shuffled } from '../../util/rng.js';

export interface MlpModel {
  d: number;
  h: number;
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: number;
}

export interface MlpOptions {
  hidden?: number;
  epochs?: number;
  batch?: number;
  rate?: number;
  alpha?: number;
  seed: number;
  /** The loss: log-loss on a sigmoid output (the default), or the pinball loss of quantile `pinball` on a linear one. */
  pinball?: number;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

const ADAM = { b1: 0.9, b2: 0.999, eps: 1e-8 } as const;

export function fitMlp(x: readonly Float64Array[], y: ArrayLike<number>, opts: MlpOptions): MlpModel {
  const rng = makeRng(opts.seed);
  const m = glorotMlp(x[0]?.length ?? 0, opts.hidden ?? 64, rng);
  const size = m.d * m.h + m.h + m.h + 1;
  const adam: AdamState = {
    mom: new Float64Array(size),
    vel: new Float64Array(size),
    t: 0,
    rate: opts.rate ?? 1e-3,
    alpha: opts.alpha ?? 1e-4,
    records: x.length,
  };
  const batch = Math.min(opts.batch ?? 200, x.length);
  const grad = new Float64Array(size);
  const hid = new Float64Array(m.h);
  const order = Array.from({ length: x.length }, (_, i) => i);
  for (let epoch = 0; epoch < (opts.epochs ?? 200); epoch++) {
    const perm = shuffled(order, rng);
    for (let start = 0; start < perm.length; start += batch) {
      const idx = perm.slice(start, start + batch);
      grad.fill(0);
      for (const i of idx) addGradient(m, x[i]!, y[i]!, grad, hid, opts.pinball);
      adamStep(m, grad, idx.length, adam);
    }
  }
  return m;
}

/** Glorot-uniform weights (first layer, then output layer, from `rng`), zero biases. */
function glorotMlp(d: number, h: number, rng: Rng): MlpModel {
  const glorot = (fanIn: number, fanOut: number): number => (2 * rng.next() - 1) * Math.sqrt(6 / (fanIn + fanOut));
  return {
    d,
    h,
    w1: Float64Array.from({ length: d * h }, () => glorot(d, h)),
    b1: new Float64Array(h),
    w2: Float64Array.from({ length: h }, () => glorot(h, 1)),
    b2: 0,
  };
}

/**
 * Adds one record's log-loss gradient to `grad` (laid out w1, b1, w2, b2), by a forward pass into
 * `hid` and back-propagation through the ReLU.
 */
function addGradient(
  m: MlpModel,
  xi: Float64Array,
  yi: number,
  grad: Float64Array,
  hid: Float64Array,
  pinball?: number,
): void {
  const { d, h } = m;
  let z = m.b2;
  for (let j = 0; j < h; j++) {
    let a = m.b1[j]!;
    for (let k = 0; k < d; k++) a += m.w1[k * h + j]! * xi[k]!;
    hid[j] = Math.max(a, 0);
    z += m.w2[j]! * hid[j]!;
  }
  // d loss / d z: log-loss on sigmoid(z), or the pinball loss of quantile τ on z itself.
  const g = pinball === undefined ? sigmoid(z) - yi : yi > z ? -pinball : 1 - pinball;
  grad[grad.length - 1]! += g;
  for (let j = 0; j < h; j++) {
    grad[d * h + h + j]! += g * hid[j]!;
    if (hid[j]! <= 0) continue;
    const gj = g * m.w2[j]!;
    grad[d * h + j]! += gj;
    for (let k = 0; k < d; k++) grad[k * h + j]! += gj * xi[k]!;
  }
}

/** Adam's moments and step count, and the settings of its update. */
interface AdamState {
  mom: Float64Array;
  vel: Float64Array;
  t: number;
  rate: number;
  /** The L2 penalty on the weights (not the biases), divided by the number of records. */
  alpha: number;
  records: number;
}

/** One Adam update of every parameter from a batch's summed gradient `grad` over `nb` records. */
function adamStep(m: MlpModel, grad: Float64Array, nb: number, s: AdamState): void {
  const { b1: b1m, b2: b2m, eps } = ADAM;
  const { mom, vel, rate, alpha } = s;
  s.t++;
  const c1 = 1 - b1m ** s.t,
    c2 = 1 - b2m ** s.t;
  let off = 0;
  const step = (arr: Float64Array, penalised: boolean): void => {
    for (let p = 0; p < arr.length; p++, off++) {
      const gp = grad[off]! / nb + (penalised ? (alpha * arr[p]!) / s.records : 0);
      mom[off] = b1m * mom[off]! + (1 - b1m) * gp;
      vel[off] = b2m * vel[off]! + (1 - b2m) * gp * gp;
      arr[p]! -= (rate * (mom[off]! / c1)) / (Math.sqrt(vel[off]! / c2) + eps);
    }
  };
  step(m.w1, true);
  step(m.b1, false);
  step(m.w2, true);
  const last = grad.length - 1;
  const gb = grad[last]! / nb;
  mom[last] = b1m * mom[last]! + (1 - b1m) * gb;
  vel[last] = b2m * vel[last]! + (1 - b2m) * gb * gb;
  m.b2 -= (rate * (mom[last]! / c1)) / (Math.sqrt(vel[last]! / c2) + eps);
}

export const predictMlp = (m: MlpModel, xi: Float64Array): number => sigmoid(predictMlpLinear(m, xi));

/** The output before the sigmoid: a pinball-loss model's quantile. */
export function predictMlpLinear(m: MlpModel, xi: Float64Array): number {
  let z = m.b2;
  for (let j = 0; j < m.h; j++) {
    let a = m.b1[j]!;
    for (let k = 0; k < m.d; k++) a += m.w1[k * m.h + j]! * xi[k]!;
    if (a > 0) z += m.w2[j]! * a;
  }
  return z;
}

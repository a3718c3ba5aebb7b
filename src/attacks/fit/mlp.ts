/**
 * A small binary MLP classifier in float64: one hidden ReLU layer, a sigmoid output, log-loss with
 * an L2 penalty, Adam on seeded mini-batches (defaults as scikit-learn's MLPClassifier where they
 * apply: Adam 1e-3, alpha 1e-4, Glorot-uniform initialisation; 64 hidden units as Shokri et al.).
 * Deterministic for a seed: same data and seed, same weights, on any machine.
 */
import { makeRng, shuffled } from '../../util/rng.js';

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
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export function fitMlp(x: readonly Float64Array[], y: ArrayLike<number>, opts: MlpOptions): MlpModel {
  const d = x[0]?.length ?? 0;
  const h = opts.hidden ?? 64;
  const rng = makeRng(opts.seed);
  const glorot = (fanIn: number, fanOut: number): number => (2 * rng.next() - 1) * Math.sqrt(6 / (fanIn + fanOut));
  const m: MlpModel = {
    d,
    h,
    w1: Float64Array.from({ length: d * h }, () => glorot(d, h)),
    b1: new Float64Array(h),
    w2: Float64Array.from({ length: h }, () => glorot(h, 1)),
    b2: 0,
  };
  const params = [m.w1, m.b1, m.w2];
  const size = d * h + h + h + 1;
  const mom = new Float64Array(size),
    vel = new Float64Array(size);
  const rate = opts.rate ?? 1e-3,
    alpha = opts.alpha ?? 1e-4,
    b1m = 0.9,
    b2m = 0.999,
    eps = 1e-8;
  const batch = Math.min(opts.batch ?? 200, x.length);
  let t = 0;
  const grad = new Float64Array(size);
  const hid = new Float64Array(h);
  const order = Array.from({ length: x.length }, (_, i) => i);
  for (let epoch = 0; epoch < (opts.epochs ?? 200); epoch++) {
    const perm = shuffled(order, rng);
    for (let start = 0; start < perm.length; start += batch) {
      const idx = perm.slice(start, start + batch);
      grad.fill(0);
      for (const i of idx) {
        const xi = x[i]!;
        let z = m.b2;
        for (let j = 0; j < h; j++) {
          let a = m.b1[j]!;
          for (let k = 0; k < d; k++) a += m.w1[k * h + j]! * xi[k]!;
          hid[j] = Math.max(a, 0);
          z += m.w2[j]! * hid[j]!;
        }
        const g = sigmoid(z) - y[i]!;
        grad[size - 1]! += g;
        for (let j = 0; j < h; j++) {
          grad[d * h + h + j]! += g * hid[j]!;
          if (hid[j]! <= 0) continue;
          const gj = g * m.w2[j]!;
          grad[d * h + j]! += gj;
          for (let k = 0; k < d; k++) grad[k * h + j]! += gj * xi[k]!;
        }
      }
      const nb = idx.length;
      t++;
      const c1 = 1 - b1m ** t,
        c2 = 1 - b2m ** t;
      let off = 0;
      const step = (arr: Float64Array, penalised: boolean): void => {
        for (let p = 0; p < arr.length; p++, off++) {
          const gp = grad[off]! / nb + (penalised ? (alpha * arr[p]!) / x.length : 0);
          mom[off] = b1m * mom[off]! + (1 - b1m) * gp;
          vel[off] = b2m * vel[off]! + (1 - b2m) * gp * gp;
          arr[p]! -= (rate * (mom[off]! / c1)) / (Math.sqrt(vel[off]! / c2) + eps);
        }
      };
      step(params[0]!, true);
      step(params[1]!, false);
      step(params[2]!, true);
      const gb = grad[size - 1]! / nb;
      mom[size - 1] = b1m * mom[size - 1]! + (1 - b1m) * gb;
      vel[size - 1] = b2m * vel[size - 1]! + (1 - b2m) * gb * gb;
      m.b2 -= (rate * (mom[size - 1]! / c1)) / (Math.sqrt(vel[size - 1]! / c2) + eps);
    }
  }
  return m;
}

export function predictMlp(m: MlpModel, xi: Float64Array): number {
  let z = m.b2;
  for (let j = 0; j < m.h; j++) {
    let a = m.b1[j]!;
    for (let k = 0; k < m.d; k++) a += m.w1[k * m.h + j]! * xi[k]!;
    if (a > 0) z += m.w2[j]! * a;
  }
  return sigmoid(z);
}

/**
 * A one-hidden-layer ReLU MLP in float64 with one output head per class (Bertran et al.'s "target-dependent
 * scoring"): the record's label picks its head, so each class has its own quantile (or mean and spread) of
 * the score, sharing the hidden layer. A head is one output (the pinball loss of level `tau`) or two (μ and
 * log σ, the Gaussian negative log-likelihood). Adam on seeded mini-batches, Glorot-uniform weights, no
 * weight decay (their defaults). Zero inputs are skipped (MNIST pixels are mostly 0): same result, faster.
 * Deterministic for a seed.
 */
import { makeRng, shuffled } from '../../util/rng.js';

export type HeadLoss = { kind: 'pinball'; tau: number } | { kind: 'gaussian' };

export interface ClassHeadMlp {
  d: number;
  h: number;
  /** Outputs per head: 1 (pinball) or 2 (μ, log σ). */
  k: number;
  classes: number;
  /** w1 (d × h), b1 (h), w2 (h × classes·k), b2 (classes·k), one array. */
  p: Float64Array;
}

export interface ClassHeadOptions {
  hidden: number;
  epochs: number;
  batch: number;
  rate: number;
  seed: number;
  loss: HeadLoss;
}

/** log σ is kept within ±8 where it is exponentiated (σ from 3e-4 to 3e3 of the standardised score). */
const clampLog = (v: number): number => Math.max(-8, Math.min(8, v));

const ADAM = { b1: 0.9, b2: 0.999, eps: 1e-8 } as const;

/** Fits the heads of records `x` with labels `cls` to their scores `y`. */
export function fitClassHeadMlp(
  x: readonly Float64Array[],
  cls: ArrayLike<number>,
  y: ArrayLike<number>,
  classes: number,
  o: ClassHeadOptions,
): ClassHeadMlp {
  const rng = makeRng(o.seed);
  const d = x[0]?.length ?? 0;
  const k = o.loss.kind === 'gaussian' ? 2 : 1;
  const m: ClassHeadMlp = {
    d,
    h: o.hidden,
    k,
    classes,
    p: new Float64Array(d * o.hidden + o.hidden + (o.hidden + 1) * classes * k),
  };
  const glorot = (fanIn: number, fanOut: number): number => (2 * rng.next() - 1) * Math.sqrt(6 / (fanIn + fanOut));
  for (let i = 0; i < d * m.h; i++) m.p[i] = glorot(d, m.h);
  const w2 = d * m.h + m.h;
  for (let i = 0; i < m.h * classes * k; i++) m.p[w2 + i] = glorot(m.h, k);
  const mom = new Float64Array(m.p.length),
    vel = new Float64Array(m.p.length),
    grad = new Float64Array(m.p.length);
  const hid = new Float64Array(m.h);
  const batch = Math.min(o.batch, x.length);
  const order = Array.from({ length: x.length }, (_, i) => i);
  let t = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const perm = shuffled(order, rng);
    for (let start = 0; start < perm.length; start += batch) {
      const idx = perm.slice(start, start + batch);
      grad.fill(0);
      for (const i of idx) addGradient(m, x[i]!, cls[i]!, y[i]!, o.loss, grad, hid);
      t++;
      const c1 = 1 - ADAM.b1 ** t,
        c2 = 1 - ADAM.b2 ** t;
      for (let q = 0; q < m.p.length; q++) {
        const g = grad[q]! / idx.length;
        mom[q] = ADAM.b1 * mom[q]! + (1 - ADAM.b1) * g;
        vel[q] = ADAM.b2 * vel[q]! + (1 - ADAM.b2) * g * g;
        m.p[q]! -= (o.rate * (mom[q]! / c1)) / (Math.sqrt(vel[q]! / c2) + ADAM.eps);
      }
    }
  }
  return m;
}

/** The hidden layer's activations of `xi` into `hid`. */
function hidden(m: ClassHeadMlp, xi: Float64Array, hid: Float64Array): void {
  const { d, h, p } = m;
  for (let j = 0; j < h; j++) hid[j] = p[d * h + j]!;
  for (let i = 0; i < d; i++) {
    const v = xi[i]!;
    if (v === 0) continue;
    for (let j = 0; j < h; j++) hid[j]! += p[i * h + j]! * v;
  }
  for (let j = 0; j < h; j++) if (hid[j]! < 0) hid[j] = 0;
}

/** Output `t` of the head of class `c`, from the hidden activations. */
function output(m: ClassHeadMlp, hid: Float64Array, c: number, t: number): number {
  const { d, h, p } = m;
  const outs = m.classes * m.k,
    col = c * m.k + t;
  let z = p[d * h + h + h * outs + col]!;
  for (let j = 0; j < h; j++) z += hid[j]! * p[d * h + h + j * outs + col]!;
  return z;
}

/** Adds one record's loss gradient (through its class's head only) to `grad`. */
function addGradient(
  m: ClassHeadMlp,
  xi: Float64Array,
  c: number,
  yi: number,
  loss: HeadLoss,
  grad: Float64Array,
  hid: Float64Array,
): void {
  const { d, h, k, p } = m;
  hidden(m, xi, hid);
  const g = new Float64Array(k);
  if (loss.kind === 'pinball') g[0] = yi > output(m, hid, c, 0) ? -loss.tau : 1 - loss.tau;
  else {
    // −log N(y; μ, σ) up to a constant: log σ + (y − μ)² / (2σ²)
    const mu = output(m, hid, c, 0);
    const ls = output(m, hid, c, 1);
    const inv = Math.exp(-2 * clampLog(ls));
    g[0] = -inv * (yi - mu);
    g[1] = ls === clampLog(ls) ? 1 - inv * (yi - mu) ** 2 : 0;
  }
  const outs = m.classes * k,
    w2 = d * h + h;
  for (let t = 0; t < k; t++) {
    const col = c * k + t;
    grad[w2 + h * outs + col]! += g[t]!;
    for (let j = 0; j < h; j++) grad[w2 + j * outs + col]! += g[t]! * hid[j]!;
  }
  // back through the ReLU into the hidden layer: hid now holds d loss / d pre-activation
  for (let j = 0; j < h; j++) {
    let gj = 0;
    if (hid[j]! > 0) for (let t = 0; t < k; t++) gj += g[t]! * p[w2 + j * outs + c * k + t]!;
    hid[j] = gj;
    grad[d * h + j]! += gj;
  }
  for (let i = 0; i < d; i++) {
    const v = xi[i]!;
    if (v === 0) continue;
    for (let j = 0; j < h; j++) grad[i * h + j]! += hid[j]! * v;
  }
}

/** The head of class `c` on `xi`: [quantile] (pinball), or [μ, σ] (Gaussian). */
export function predictClassHead(m: ClassHeadMlp, xi: Float64Array, c: number): number[] {
  const hid = new Float64Array(m.h);
  hidden(m, xi, hid);
  if (m.k === 1) return [output(m, hid, c, 0)];
  return [output(m, hid, c, 0), Math.exp(clampLog(output(m, hid, c, 1)))];
}

/**
 * MemGuard (Jia et al. 2019): noise on a released confidence vector that turns the defender's own
 * membership classifier to a coin toss, keeping the predicted label, within an expected L1 budget ε.
 *
 * The defender's classifier (logistic regression or a small MLP from src/attacks/fit/) is trained on
 * confidence vectors sorted in descending order, members (1) against non-members (0). Phase I, for a
 * vector s = softmax(z): gradient descent on noise r added to the logits z minimises
 *   |g(s')| + c2 · max(0, max_{j≠l} z'_j − z'_l) + c3 · ‖s' − s‖₁,   s' = softmax(z + r),
 * with g the classifier's logit (g = 0 ⇔ output 0.5) and l the label, stopping once g has crossed 0 with the
 * label kept; as in the paper's Algorithm 1, c3 is then multiplied by 10 and the search repeated while it
 * still succeeds, keeping the last success (the smallest noise found). Phase II: s' is released with
 * probability p, s otherwise, with p the largest value ≤ 1 that neither overshoots 0.5 in expectation
 * (p·h(s') + (1 − p)·h(s)) nor spends more than ε in expectation (p·‖s' − s‖₁ ≤ ε).
 */
import type { LogisticModel } from '../../attacks/fit/logistic.js';
import { fitLogistic } from '../../attacks/fit/logistic.js';
import type { MlpModel } from '../../attacks/fit/mlp.js';
import { fitMlp } from '../../attacks/fit/mlp.js';
import type { Rng } from '../../util/rng.js';

export type DefenderModel = { kind: 'logistic'; model: LogisticModel } | { kind: 'mlp'; model: MlpModel };

export interface MemGuardOptions {
  /** The expected L1 budget ε on the change of the confidence vector. */
  epsilon: number;
  /** Gradient steps per search (default 300), step size on the logits (0.1), c2 (10), the first c3 (0.1). */
  maxIter?: number;
  rate?: number;
  c2?: number;
  c3?: number;
  /** How many times c3 is multiplied by 10 after a success (default 3). */
  rounds?: number;
}

export interface MemGuardResult {
  /** What is released: the noisy vector with probability p, else the original. */
  released: Float64Array;
  /** Phase I's noisy vector (the original when no noise keeps the label and reaches 0.5). */
  candidate: Float64Array;
  p: number;
  applied: boolean;
  /** The defender's output on the original, on the candidate, and in expectation over phase II. */
  scoreBefore: number;
  scoreCandidate: number;
  scoreExpected: number;
}

const sortedDesc = (s: ArrayLike<number>): Float64Array => Float64Array.from(s).sort().reverse();
const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Fits the defender's classifier on member and non-member confidence vectors (each sorted before fitting). */
export function fitDefenderModel(
  members: readonly ArrayLike<number>[],
  nonMembers: readonly ArrayLike<number>[],
  kind: DefenderModel['kind'],
  seed: number,
): DefenderModel {
  const x = [...members, ...nonMembers].map(sortedDesc);
  const y = [...members.map(() => 1), ...nonMembers.map(() => 0)];
  return kind === 'logistic'
    ? { kind, model: fitLogistic(x, y) }
    : { kind, model: fitMlp(x, y, { seed, epochs: 200, hidden: 32 }) };
}

/** The classifier's logit g at a sorted vector u, and ∂g/∂u. */
function logitAndGrad(m: DefenderModel, u: Float64Array): { g: number; grad: Float64Array } {
  if (m.kind === 'logistic') {
    let g = m.model.bias;
    for (let k = 0; k < u.length; k++) g += m.model.weights[k]! * u[k]!;
    return { g, grad: Float64Array.from(m.model.weights) };
  }
  const { d, h, w1, b1, w2, b2 } = m.model;
  let g = b2;
  const grad = new Float64Array(d);
  for (let j = 0; j < h; j++) {
    let a = b1[j]!;
    for (let k = 0; k < d; k++) a += w1[k * h + j]! * u[k]!;
    if (a <= 0) continue;
    g += w2[j]! * a;
    for (let k = 0; k < d; k++) grad[k]! += w2[j]! * w1[k * h + j]!;
  }
  return { g, grad };
}

/** The defender's membership probability for a confidence vector (in any order). */
export function defenderScore(m: DefenderModel, s: ArrayLike<number>): number {
  return sigmoid(logitAndGrad(m, sortedDesc(s)).g);
}

function softmax(z: Float64Array): Float64Array {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

const argmax = (v: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
};

/** ∂L/∂z' of the phase I loss at z' = z + r. */
function lossGrad(m: DefenderModel, s: Float64Array, zr: Float64Array, label: number, c2: number, c3: number) {
  const sp = softmax(zr);
  const order = Array.from(sp.keys()).sort((a, b) => sp[b]! - sp[a]!);
  const { g, grad } = logitAndGrad(
    m,
    Float64Array.from(order, (i) => sp[i]!),
  );
  const v = new Float64Array(s.length); // ∂L/∂s'
  order.forEach((i, k) => {
    v[i] = Math.sign(g) * grad[k]!;
  });
  for (let i = 0; i < s.length; i++) v[i]! += c3 * Math.sign(sp[i]! - s[i]!);
  const dot = v.reduce((a, vi, i) => a + vi * sp[i]!, 0);
  const out = sp.map((p, i) => p * (v[i]! - dot));
  let other = -1;
  for (let i = 0; i < zr.length; i++) if (i !== label && (other < 0 || zr[i]! > zr[other]!)) other = i;
  if (other >= 0 && zr[other]! >= zr[label]!) {
    out[other]! += c2;
    out[label]! -= c2;
  }
  return { out, g, sp };
}

/** Phase I: the noisy confidence vector, or null when none keeps the label and crosses 0.5. */
function searchNoise(m: DefenderModel, s: Float64Array, opts: MemGuardOptions): Float64Array | null {
  const z = s.map((p) => Math.log(Math.max(p, 1e-30)));
  const label = argmax(s);
  const g0 = logitAndGrad(m, sortedDesc(s)).g;
  let found: Float64Array | null = null;
  let c3 = opts.c3 ?? 0.1;
  for (let round = 0; round <= (opts.rounds ?? 3); round++, c3 *= 10) {
    const zr = Float64Array.from(z);
    let success: Float64Array | null = null;
    for (let it = 0; it < (opts.maxIter ?? 300); it++) {
      const { out, g, sp } = lossGrad(m, s, zr, label, opts.c2 ?? 10, c3);
      if (it > 0 && argmax(sp) === label && Math.sign(g) !== Math.sign(g0)) {
        success = sp;
        break;
      }
      for (let i = 0; i < zr.length; i++) zr[i]! -= (opts.rate ?? 0.1) * out[i]!;
    }
    if (!success) break;
    found = success;
  }
  return found;
}

const l1 = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s;
};

/** MemGuard on one confidence vector (probabilities summing to 1). */
export function memguard(probs: ArrayLike<number>, m: DefenderModel, opts: MemGuardOptions, rng: Rng): MemGuardResult {
  const s = Float64Array.from(probs);
  const before = defenderScore(m, s);
  const candidate = Math.abs(before - 0.5) < 1e-12 ? null : searchNoise(m, s, opts);
  if (!candidate) {
    return {
      released: s,
      candidate: s,
      p: 0,
      applied: false,
      scoreBefore: before,
      scoreCandidate: before,
      scoreExpected: before,
    };
  }
  const after = defenderScore(m, candidate);
  const change = l1(candidate, s);
  const pTarget = Math.min(1, Math.max(0, (before - 0.5) / (before - after)));
  const p = Math.min(pTarget, change > 0 ? opts.epsilon / change : 1);
  const applied = rng.next() < p;
  return {
    released: applied ? candidate : s,
    candidate,
    p,
    applied,
    scoreBefore: before,
    scoreCandidate: after,
    scoreExpected: p * after + (1 - p) * before,
  };
}

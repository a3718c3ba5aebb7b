/**
 * `one_run` (Steinke, Nasr and Jagielski 2023, "Privacy auditing with one (1) training run", Theorem 5.2):
 * m canaries, each IN independently with probability ½; the auditor guesses on r of them and v guesses are
 * right. If the run is (ε, δ)-DP then, with q = e^ε / (1 + e^ε),
 *   P[≥ v right] ≤ P[Bin(r, q) ≥ v] + 2mδ · max_{1≤i≤v} P[v − i ≤ Bin(r, q) < v] / i,
 * and ε̂ is the largest ε whose bound is ≤ α = 1 − confidence. The rule here guesses IN on the canaries
 * scoring ≥ the threshold and abstains on the rest (k₊ = r, k₋ = 0), as jax_privacy does.
 */
import { binomialUpperTail, largestWhere, logBinomialPmf } from './beta-binomial.js';
import type { AuditMethod } from './types.js';

/** The bound on P[≥ v right of r guesses] for m canaries under (ε, δ)-DP (the theorem's p-value). */
export function oneRunPValue(m: number, r: number, v: number, epsilon: number, delta: number): number {
  const logQ = -Math.log1p(Math.exp(-epsilon)),
    log1mQ = -Math.log1p(Math.exp(epsilon));
  const beta = binomialUpperTail(v, r, Math.exp(logQ));
  if (delta === 0 || v === 0 || beta >= 1) return Math.min(beta, 1);
  // max_i P[v − i ≤ Bin < v] / i, walking the pmf down from k = v − 1 by its ratio, rescaled against overflow.
  const mode = Math.floor((r + 1) * Math.exp(logQ));
  const odds = Math.exp(-epsilon);
  let logScale = logBinomialPmf(v - 1, r, logQ, log1mQ);
  let p = 1,
    sum = 0,
    best = 0;
  for (let i = 1; i <= v; i++) {
    const k = v - i;
    sum += p;
    best = Math.max(best, sum / i);
    p *= (k / (r - k + 1)) * odds; // P[Bin = k − 1] / P[Bin = k], relative to the scale
    if (k - 1 < mode && p <= best) break; // below the mode the pmf only falls, so sum / i only falls
    if (sum > 1e250) {
      p *= 1e-250;
      sum *= 1e-250;
      best *= 1e-250;
      logScale += 250 * Math.LN10;
    }
  }
  return Math.min(1, beta + Math.exp(logScale + Math.log(best)) * 2 * m * delta);
}

/**
 * The largest ε (to 1e-9) with oneRunPValue ≤ alpha, or 0 when even ε = 0 is not rejected. With floor > 0 it
 * returns 0 early when ε = floor is not rejected (this rule cannot beat floor).
 */
export function oneRunEpsilon(m: number, r: number, v: number, alpha: number, delta: number, floor = 0): number {
  const rejects = (eps: number) => oneRunPValue(m, r, v, eps, delta) <= alpha;
  if (r === 0 || v === 0 || v / r <= 1 / (1 + Math.exp(-floor))) return 0;
  if (oneRunPValue(m, r, v, floor, 0) > alpha || !rejects(floor)) return 0;
  return largestWhere(rejects, floor, 1e4);
}

export const oneRun: AuditMethod = {
  name: 'one_run',
  paper: 'Steinke et al. 2023',
  bound(cut, alpha, delta, floor) {
    const m = cut.nIn + cut.nOut;
    const epsilon = oneRunEpsilon(m, cut.tp + cut.fp, cut.tp, alpha, delta, floor);
    return { epsilon, details: { m } };
  },
  guesses: (c) => ({ guesses: c.tp + c.fp, correct: c.tp }),
};

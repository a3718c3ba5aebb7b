/**
 * `one_run_fdp` (Mahloujifar, Melis and Chaudhuri 2024, "Auditing f-differential privacy in one run",
 * Algorithm 3 with abstentions, k = 2 for membership): the same guessing game as `one_run`, but the null
 * hypothesis is μ-GDP, whose trade-off curve is sharper than (ε, δ)-DP's. Their recursion bounds the chance
 * of ≥ v right among r guesses on m canaries by τ = 1 − confidence: with f̄⁻¹(y) = Φ(Φ⁻¹(y) − μ),
 * r_v = τv/m, h_v = τ(r − v)/m, and for i = v − 1 … 0: h_i = max(h_{i+1}, f̄⁻¹(r_{i+1})),
 * r_i = r_{i+1} + i/(r − i) · (h_i − h_{i+1}); μ-GDP is rejected when r_0 + h_0 > r/m. μ̂ is the largest
 * rejected μ and ε̂ the ε that μ̂-GDP implies at δ (the GDP–(ε, δ) duality).
 */
import { gdpEpsilon, gdpMu, PURE_DP_FROM_GDP } from './gaussian-dp.js';
import { normalCdf, normalQuantile } from '../metrics/index.js';
import { largestWhere } from './beta-binomial.js';
import type { AuditMethod } from './types.js';

/** True when v right of r guesses on m canaries has probability < tau under μ-GDP (Algorithm 3 rejects). */
export function fdpRejects(mu: number, m: number, r: number, v: number, tau: number): boolean {
  if (v === 0) return false;
  const inverse = (y: number) => (y >= 1 ? 1 : normalCdf(normalQuantile(y) - mu));
  let rr = (tau * v) / m,
    h = (tau * (r - v)) / m;
  for (let i = v - 1; i >= 0; i--) {
    const next = Math.max(h, inverse(rr));
    if (next === h) break; // neither h nor r moves again
    rr = Math.min(1, rr + (i / (r - i)) * (next - h));
    h = next;
  }
  return rr + h > r / m;
}

/** The largest μ (to 1e-9) that fdpRejects, or 0 when μ at ε = floor is not rejected. */
export function fdpMu(m: number, r: number, v: number, tau: number, delta: number, floor = 0): number {
  const start = gdpMu(floor, delta);
  if (!fdpRejects(start, m, r, v, tau)) return 0;
  return largestWhere((mu) => fdpRejects(mu, m, r, v, tau), start, 1e3);
}

export const oneRunFdp: AuditMethod = {
  name: 'one_run_fdp',
  paper: 'Mahloujifar et al. 2024',
  noPureDp: PURE_DP_FROM_GDP,
  bound(cut, alpha, delta, floor) {
    const m = cut.nIn + cut.nOut;
    const mu = fdpMu(m, cut.tp + cut.fp, cut.tp, alpha, delta, floor);
    return { epsilon: mu > 0 ? gdpEpsilon(mu, delta) : 0, details: { m, mu } };
  },
  guesses: (c) => ({ guesses: c.tp + c.fp, correct: c.tp }),
};

/**
 * μ-Gaussian DP (Dong, Roth and Su 2019) and (ε, δ)-DP: μ-GDP holds iff (ε, δ(ε))-DP holds for every
 * ε ≥ 0 with δ(ε) = Φ(−ε/μ + μ/2) − e^ε Φ(−ε/μ − μ/2) (their Corollary 2.13). δ(ε) falls with ε and rises
 * with μ, so each of ε and μ is found from the others by bisection.
 */
import { logNormalCdf } from '../metrics/index.js';

/** ln δ(ε) of μ-GDP, in the log domain so that tiny δ keep their digits. */
export function gdpLogDelta(mu: number, epsilon: number): number {
  if (mu <= 0) return -Infinity;
  const a = logNormalCdf(-epsilon / mu + mu / 2);
  const b = epsilon + logNormalCdf(-epsilon / mu - mu / 2);
  return b >= a ? -Infinity : a + Math.log1p(-Math.exp(b - a));
}

/** The smallest ε with δ(ε) ≤ δ for μ-GDP: the ε of (ε, δ)-DP that μ-GDP implies, and is tight for. */
export function gdpEpsilon(mu: number, delta: number): number {
  if (!(mu > 0)) return 0;
  if (!(delta > 0)) return Infinity; // δ(ε) > 0 for every finite ε
  const target = Math.log(delta);
  if (gdpLogDelta(mu, 0) <= target) return 0;
  let lo = 0,
    hi = Math.max(1, mu * mu);
  while (gdpLogDelta(mu, hi) > target) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (gdpLogDelta(mu, mid) > target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The μ for which μ-GDP is exactly (ε, δ)-DP at this ε (the largest μ whose δ(ε) is at most δ). */
export function gdpMu(epsilon: number, delta: number): number {
  const target = Math.log(delta);
  let lo = 0,
    hi = 1;
  while (gdpLogDelta(hi, epsilon) <= target) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 100 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (gdpLogDelta(mid, epsilon) <= target) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Why a method that goes through μ-GDP has no δ = 0 form (gdpEpsilon(μ, 0) is infinite for every μ > 0). */
export const PURE_DP_FROM_GDP =
  'its ε̂ is the ε that μ̂-GDP implies at δ, and μ-GDP with μ > 0 implies no finite ε at δ = 0.';

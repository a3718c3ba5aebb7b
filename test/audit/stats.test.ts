import { describe, expect, it } from 'vitest';
import {
  betaQuantile,
  binomialUpperTail,
  clopperPearsonLower,
  clopperPearsonUpper,
  gdpEpsilon,
  gdpLogDelta,
  gdpMu,
  incompleteBeta,
} from '../../src/audit/index.js';
import { normalCdf, normalQuantile } from '../../src/metrics/index.js';

/** P[Binomial(n, q) ≥ k] by the textbook sum, for small n. */
function tailBySum(k: number, n: number, q: number): number {
  let c = 1,
    s = 0;
  for (let j = 0; j <= n; j++) {
    if (j >= k) s += c * q ** j * (1 - q) ** (n - j);
    c = (c * (n - j)) / (j + 1);
  }
  return s;
}

describe('incomplete beta, binomial tails, Clopper–Pearson', () => {
  it('P[Bin(n, q) ≥ k] = I_q(k, n − k + 1) agrees with the direct sum', () => {
    for (const n of [1, 7, 30])
      for (const q of [0.01, 0.3, 0.5, 0.93])
        for (let k = 0; k <= n; k++) expect(binomialUpperTail(k, n, q)).toBeCloseTo(tailBySum(k, n, q), 13);
  });

  it('the Beta quantile inverts I_x(a, b), from tiny to huge shapes', () => {
    for (const [a, b] of [
      [1, 1],
      [0.5, 3],
      [2, 900],
      [800, 3],
      [5000, 4000],
    ] as const)
      for (const p of [1e-12, 1e-5, 0.05, 0.5, 0.975]) {
        const x = betaQuantile(p, a, b);
        expect(Math.abs(incompleteBeta(x, a, b) - p) / p).toBeLessThan(1e-9);
      }
  });

  it('0 of n: the one-sided upper bound at α is 1 − α^(1/n); n of n: the lower bound is α^(1/n)', () => {
    for (const n of [1, 10, 1000])
      for (const alpha of [0.05, 0.025, 1e-6]) {
        expect(clopperPearsonUpper(0, n, alpha)).toBeCloseTo(1 - alpha ** (1 / n), 12);
        expect(clopperPearsonLower(n, n, alpha)).toBeCloseTo(alpha ** (1 / n), 12);
      }
  });

  it('two-sided 95% intervals (one-sided at 2.5% each) match the published exact intervals', () => {
    // R: binom.test(5, 10)$conf.int = 0.1870860 0.8129140; binom.test(0, 10): upper 0.3084971.
    expect(clopperPearsonLower(5, 10, 0.025)).toBeCloseTo(0.187086, 6);
    expect(clopperPearsonUpper(5, 10, 0.025)).toBeCloseTo(0.812914, 6);
    expect(clopperPearsonUpper(0, 10, 0.025)).toBeCloseTo(0.3084971, 7);
  });

  it('the upper bound is the p at which k or fewer successes have probability α', () => {
    for (const [k, n] of [
      [0, 5],
      [3, 20],
      [19, 20],
    ] as const) {
      const p = clopperPearsonUpper(k, n, 0.05);
      expect(1 - tailBySum(k + 1, n, p)).toBeCloseTo(0.05, 12);
    }
  });
});

describe('normal CDF and quantile', () => {
  it('matches reference quantiles and inverts Φ deep into both tails', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0.5)).toBe(0);
    for (const p of [1e-300, 1e-50, 1e-8, 0.001, 0.2, 0.5, 0.7, 0.999, 1 - 1e-12]) {
      const back = normalCdf(normalQuantile(p));
      expect(Math.abs(back - p) / Math.min(p, 1 - p)).toBeLessThan(1e-9);
    }
  });
});

describe('Gaussian DP and (ε, δ)', () => {
  it('δ(ε) = Φ(−ε/μ + μ/2) − e^ε Φ(−ε/μ − μ/2), by hand at μ = 1, ε = 1 and at ε = 0', () => {
    // Φ(−0.5) = 0.30853753872598688, Φ(−1.5) = 0.066807201268858057
    expect(Math.exp(gdpLogDelta(1, 1))).toBeCloseTo(0.30853753872598688 - Math.E * 0.066807201268858057, 14);
    for (const mu of [0.1, 1, 3]) expect(Math.exp(gdpLogDelta(mu, 0))).toBeCloseTo(2 * normalCdf(mu / 2) - 1, 14);
  });

  it('ε at δ and μ at ε invert each other; ε grows with μ; μ too small for δ at ε = 0 gives 0', () => {
    let last = 0;
    for (const mu of [0.5, 1, 2, 5, 10]) {
      const eps = gdpEpsilon(mu, 1e-5);
      expect(eps).toBeGreaterThan(last);
      last = eps;
      expect(gdpLogDelta(mu, eps)).toBeCloseTo(Math.log(1e-5), 8);
      expect(gdpMu(eps, 1e-5)).toBeCloseTo(mu, 8);
    }
    expect(gdpEpsilon(1e-6, 1e-5)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import {
  logitConfidence,
  logitConfidenceFromLoss,
  logNormalCdf,
  logNormalPdf,
  lossOf,
  mean,
  std,
} from '../../src/attacks/index.js';

describe('Gaussian log density and log CDF', () => {
  it('log Φ agrees with scipy.stats.norm.logcdf to 1e-12 (relative) from −40 to 10', () => {
    // Reference values from scipy 1.x: st.norm.logcdf(x).
    const ref: [number, number][] = [
      [-40, -804.6084420137539],
      [-10, -53.23128515051248],
      [-5, -15.064998393988727],
      [-3.0001, -6.608054536023053],
      [-3, -6.60772622151035],
      [-1, -1.8410216450092634],
      [0, -Math.LN2],
      [1, -0.1727537790234499],
      [2.9999, -0.0013512538153244121],
      [3, -0.0013508099647481925],
      [3.0001, -0.0013503662475040916],
      [5, -2.8665161296376294e-7],
      [8, -6.220960574271742e-16],
      [10, -7.61985302416047e-24],
    ];
    for (const [x, v] of ref) expect(Math.abs(logNormalCdf(x) - v) / Math.abs(v)).toBeLessThan(1e-12);
  });

  it('log Φ is finite and increasing far into the lower tail, where Φ underflows', () => {
    expect(Number.isFinite(logNormalCdf(-1e5))).toBe(true);
    let prev = -Infinity;
    for (let x = -60; x <= 12; x += 0.37) {
      const v = logNormalCdf(x);
      expect(v).toBeGreaterThan(prev);
      prev = v;
    }
    expect(logNormalCdf(Infinity)).toBe(0);
    expect(logNormalCdf(-Infinity)).toBe(-Infinity);
  });

  it('log N(x; μ, σ²) is the textbook formula', () => {
    const x = 1.3,
      mu = 0.4,
      s = 0.7;
    expect(logNormalPdf(x, mu, s)).toBeCloseTo(
      Math.log(Math.exp(-((x - mu) ** 2) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI))),
      14,
    );
  });

  it('mean and population standard deviation', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(std([1, 2, 3])).toBeCloseTo(Math.sqrt(2 / 3), 15);
  });
});

describe('logit-scaled confidence in float64', () => {
  it('stays exact near p_y = 1, where log(p / (1 − p)) of a float probability is Infinity', () => {
    const s = { logits: Float32Array.from([40, 0, 0]), classes: 3 };
    const p = Math.exp(40) / (Math.exp(40) + 2);
    expect(Math.log(p / (1 - p))).toBe(Infinity); // the naive formula fails
    expect(logitConfidence(s, 0, 0)).toBeCloseTo(40 - Math.log(2), 12);
    expect(logitConfidence(s, 0, 1)).toBeCloseTo(0 - Math.log(Math.exp(40) + 1), 9);
  });

  it('from a loss alone: tiny losses give large finite φ, and φ matches the logit formula', () => {
    expect(logitConfidenceFromLoss(1e-12)).toBeCloseTo(Math.log((1 - 1e-12) / 1e-12), 6);
    const s = { logits: Float64Array.from([2.5, -1, 0.3]), classes: 3 };
    expect(logitConfidenceFromLoss(lossOf(s, 0, 0))).toBeCloseTo(logitConfidence(s, 0, 0), 12);
    expect(logitConfidenceFromLoss(lossOf(s, 0, 2))).toBeCloseTo(logitConfidence(s, 0, 2), 12);
  });
});

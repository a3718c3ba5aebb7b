import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logErfc } from '../../../src/defenses/accountant/log-math.js';
import {
  computeRdp,
  DEFAULT_ORDERS,
  dpSgdEpsilon,
  noiseForEpsilon,
  rdpSampledGaussian,
  rdpToEpsilon,
  samplingOf,
} from '../../../src/defenses/accountant/rdp.js';

/** RDP by direct numerical integration of E_{z∼N(0,σ²)}[((1−q) + q·e^{(2z−1)/(2σ²)})^α], independent of the series. */
function rdpByQuadrature(q: number, sigma: number, alpha: number): number {
  const lo = -12 * sigma - 2;
  const hi = 12 * sigma * Math.sqrt(alpha) + 2 * alpha + 2;
  const n = 200_000;
  const h = (hi - lo) / n;
  let s = 0;
  for (let k = 0; k <= n; k++) {
    const z = lo + k * h;
    const w = k === 0 || k === n ? 1 : k % 2 === 1 ? 4 : 2;
    const density = Math.exp((-z * z) / (2 * sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma);
    s += w * density * (1 - q + q * Math.exp((2 * z - 1) / (2 * sigma * sigma))) ** alpha;
  }
  return Math.log((s * h) / 3) / (alpha - 1);
}

const mnist = { datasetSize: 60_000, batchSize: 256, epochs: 60, delta: 1e-5 };

describe('log erfc', () => {
  it('matches known values of erfc, including where erfc underflows', () => {
    expect(logErfc(0)).toBeCloseTo(0, 14);
    expect(Math.exp(logErfc(1))).toBeCloseTo(0.157299207050285, 13);
    expect(Math.exp(logErfc(-1))).toBeCloseTo(1.842700792949715, 13);
    expect(logErfc(5)).toBeCloseTo(Math.log(1.5374597944280349e-12), 10);
    expect(logErfc(10)).toBeCloseTo(Math.log(2.088487583762545e-45), 10);
    expect(logErfc(40)).toBeCloseTo(-1600 - Math.log(40 * Math.sqrt(Math.PI)) - 1 / 3200, 6);
  });
});

describe('RDP of the sampled Gaussian mechanism', () => {
  it('q = 1 is the Gaussian mechanism: α / (2σ²)', () => {
    for (const a of [1.5, 2, 7.3, 64]) expect(rdpSampledGaussian(1, 1.3, a)).toBeCloseTo(a / (2 * 1.3 * 1.3), 12);
  });

  it('the integer and the fractional series agree with numerical integration', () => {
    for (const [q, sigma, alpha] of [
      [0.01, 1.1, 2],
      [0.01, 1.1, 2.5],
      [0.1, 0.8, 3.7],
      [0.004, 1.1, 8.1],
      [0.3, 2, 10],
      [0.05, 0.6, 1.3],
    ] as const) {
      const exact = rdpByQuadrature(q, sigma, alpha);
      expect(Math.abs(rdpSampledGaussian(q, sigma, alpha) - exact)).toBeLessThan(1e-6 * Math.max(1, exact) + 1e-9);
    }
  });

  it('the fractional series is continuous at integer orders', () => {
    for (const a of [2, 5, 11]) {
      const at = rdpSampledGaussian(0.02, 1, a);
      expect(rdpSampledGaussian(0.02, 1, a + 1e-7)).toBeCloseTo(at, 6);
      expect(rdpSampledGaussian(0.02, 1, a - 1e-7)).toBeCloseTo(at, 6);
    }
  });

  it('uses the orders 1.1..10.9 by 0.1, 11..63, 128, 256, 512', () => {
    expect(DEFAULT_ORDERS).toHaveLength(99 + 53 + 3);
    expect(DEFAULT_ORDERS.slice(0, 3)).toEqual([1.1, 1.2, 1.3]);
    expect(DEFAULT_ORDERS).toContain(10.9);
    expect(DEFAULT_ORDERS.slice(-4)).toEqual([63, 128, 256, 512]);
  });
});

describe('DP-SGD ε', () => {
  it('MNIST, batch 256, 60 epochs, σ = 1.1, δ = 1e-5: ε ≈ 2.6 (improved conversion), ≈ 3.0 (classic)', () => {
    expect(samplingOf(mnist)).toEqual({ q: 256 / 60_000, steps: 14_063 });
    const improved = dpSgdEpsilon({ ...mnist, noise: 1.1 });
    expect(Math.abs(improved.epsilon - 2.6) / 2.6).toBeLessThan(0.01);
    const classic = dpSgdEpsilon({ ...mnist, noise: 1.1 }, 'classic');
    expect(Math.abs(classic.epsilon - 3.0) / 3.0).toBeLessThan(0.01);
    expect(improved.epsilon).toBeLessThan(classic.epsilon);
  });

  it('the improved conversion is never above the classic one at the same order', () => {
    const rdp = computeRdp(0.01, 1, 1000);
    for (const [i, a] of DEFAULT_ORDERS.entries()) {
      const one = [a];
      expect(rdpToEpsilon(one, [rdp[i]!], 1e-5).epsilon).toBeLessThanOrEqual(
        rdpToEpsilon(one, [rdp[i]!], 1e-5, 'classic').epsilon + 1e-12,
      );
    }
  });

  it('ε falls as the noise grows and rises with the epochs', () => {
    const setting = fc.record({
      datasetSize: fc.integer({ min: 1000, max: 100_000 }),
      batchSize: fc.integer({ min: 1, max: 512 }),
      epochs: fc.integer({ min: 1, max: 50 }),
      delta: fc.constantFrom(1e-5, 1e-6),
      noise: fc.double({ min: 0.6, max: 5, noNaN: true }),
    });
    fc.assert(
      fc.property(setting, fc.double({ min: 1.05, max: 2, noNaN: true }), (s, f) => {
        const e = dpSgdEpsilon(s).epsilon;
        expect(dpSgdEpsilon({ ...s, noise: s.noise * f }).epsilon).toBeLessThanOrEqual(e + 1e-9);
        expect(dpSgdEpsilon({ ...s, epochs: s.epochs + 1 }).epsilon).toBeGreaterThanOrEqual(e - 1e-9);
      }),
      { numRuns: 25 },
    );
  });

  it('the noise for a target ε reaches it, and a little less noise does not', () => {
    for (const epsilon of [1, 2.6, 8]) {
      const noise = noiseForEpsilon({ ...mnist, epsilon });
      expect(dpSgdEpsilon({ ...mnist, noise }).epsilon).toBeLessThanOrEqual(epsilon);
      expect(dpSgdEpsilon({ ...mnist, noise: noise * 0.999 }).epsilon).toBeGreaterThan(epsilon);
    }
    expect(noiseForEpsilon({ ...mnist, epsilon: 2.5966 })).toBeCloseTo(1.1, 3);
  });
});

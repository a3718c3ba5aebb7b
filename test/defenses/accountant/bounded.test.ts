/**
 * The accountant answers for every setting in a bounded number of terms: ε for any noise multiplier σ ≥ 0
 * (1e300 and 1e-300 hung it), never rising as σ grows; the noise for a target ε, or an AccountantError
 * naming the least ε reachable (ε = 1e-9 crashed the planner).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AccountantError,
  computeRdp,
  DEFAULT_ORDERS,
  dpSgdEpsilon,
  FRACTIONAL_SIGMA,
  noiseForEpsilon,
  rdpSampledGaussian,
  rdpToEpsilon,
} from '../../../src/defenses/accountant/rdp.js';

const epsilonOf = (q: number, sigma: number, steps: number, delta: number): number =>
  rdpToEpsilon(DEFAULT_ORDERS, computeRdp(q, sigma, steps, DEFAULT_ORDERS), delta).epsilon;

/** A positive number spread over [10^lo, 10^hi] in log scale. */
const logUniform = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true }).map((e) => 10 ** e);
const sigma = fc.oneof(logUniform(-300, 300), logUniform(-3, 3), fc.constantFrom(0, Infinity, 0.01, 100, 1e-154));
const q = fc.oneof(logUniform(-12, 0), fc.double({ min: 0.3, max: 0.7, noNaN: true }), fc.constantFrom(0.5, 1));
const steps = fc.oneof(fc.integer({ min: 1, max: 100_000 }), logUniform(0, 12).map(Math.ceil));
const delta = fc.oneof(logUniform(-300, -0.01), fc.constantFrom(1e-5, 0.5));

describe('ε for any noise multiplier', () => {
  it('the settings that hung: σ = 1e300 gives the least ε the orders state, σ = 1e-300 gives ε = ∞', () => {
    const s = { datasetSize: 60_000, batchSize: 256, epochs: 10, delta: 1e-5 };
    const huge = dpSgdEpsilon({ ...s, noise: 1e300 });
    expect(huge.epsilon).toBeGreaterThan(0);
    expect(huge.epsilon).toBeLessThan(0.01);
    expect(huge.epsilon).toBe(dpSgdEpsilon({ ...s, noise: Infinity }).epsilon);
    expect(dpSgdEpsilon({ ...s, noise: 1e-300 }).epsilon).toBe(Infinity);
    expect(dpSgdEpsilon({ ...s, noise: 0 }).epsilon).toBe(Infinity);
  });

  it('a fractional order outside the summed range is bounded by its ceiling, and joins the series at the edges', () => {
    for (const q of [1e-4, 0.01, 0.5, 0.9]) {
      const below = rdpSampledGaussian(q, FRACTIONAL_SIGMA.min / 2, 2.5);
      expect(below).toBe(rdpSampledGaussian(q, FRACTIONAL_SIGMA.min / 2, 3));
      expect(below).toBeGreaterThanOrEqual(rdpSampledGaussian(q, FRACTIONAL_SIGMA.min, 2.5));
      const above = rdpSampledGaussian(q, FRACTIONAL_SIGMA.max * 2, 2.5);
      expect(above).toBeLessThanOrEqual(rdpSampledGaussian(q, FRACTIONAL_SIGMA.max, 2.5));
      expect(above).toBeLessThanOrEqual(rdpSampledGaussian(q, FRACTIONAL_SIGMA.max * 2, 3));
    }
  });

  it('is a number ≥ 0 or ∞, never NaN, and never rises as σ grows, for σ, q, steps and δ over wide ranges', () => {
    fc.assert(
      fc.property(sigma, sigma, q, steps, delta, (s1, s2, q, n, d) => {
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const a = epsilonOf(q, lo, n, d);
        const b = epsilonOf(q, hi, n, d);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(b).toBeGreaterThanOrEqual(0);
        // Equal up to the series' own precision (its terms stop below e^−30).
        expect(b).toBeLessThanOrEqual(a * (1 + 1e-9) + 1e-12);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the noise for a target ε', () => {
  it('ε = 1e-9 is out of reach: the error names the least ε these settings can state', () => {
    const s = { datasetSize: 60_000, batchSize: 256, epochs: 10, delta: 1e-5, epsilon: 1e-9 };
    expect(() => noiseForEpsilon(s)).toThrow(AccountantError);
    expect(() => noiseForEpsilon(s)).toThrow(/no noise multiplier reaches ε = 1e-9 .* is 0\.00837$/);
  });

  it('returns a σ whose ε is at most the target, or says no σ reaches it and none does', () => {
    const setting = fc.record({
      datasetSize: fc.integer({ min: 1, max: 1e9 }),
      batchFraction: fc.oneof(logUniform(-9, 0), fc.constant(0.5)),
      epochs: fc.oneof(fc.integer({ min: 1, max: 100 }), logUniform(-3, 5)),
      delta: fc.oneof(logUniform(-300, -0.01), fc.constant(1e-5)),
      epsilon: logUniform(-12, 12),
    });
    fc.assert(
      fc.property(setting, ({ batchFraction, ...s }) => {
        const batchSize = Math.max(1, Math.min(s.datasetSize, Math.round(batchFraction * s.datasetSize)));
        const run = { ...s, batchSize };
        let noise: number;
        try {
          noise = noiseForEpsilon(run);
        } catch (e) {
          expect(e).toBeInstanceOf(AccountantError);
          expect((e as Error).message).toMatch(/the least ε .* is /);
          expect(dpSgdEpsilon({ ...run, noise: Infinity }).epsilon).toBeGreaterThan(s.epsilon);
          return;
        }
        expect(noise).toBeGreaterThan(0);
        expect(Number.isFinite(noise)).toBe(true);
        expect(dpSgdEpsilon({ ...run, noise }).epsilon).toBeLessThanOrEqual(s.epsilon);
      }),
      { numRuns: 12 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { logErfc } from '../../../src/defenses/accountant/log-math.js';
import { discretise, pldEpsilon, stepDelta } from '../../../src/defenses/accountant/pld.js';
import { computeRdp, DEFAULT_ORDERS, rdpToEpsilon } from '../../../src/defenses/accountant/rdp.js';
import { AccountantError } from '../../../src/defenses/accountant/rdp.js';

const Phi = (z: number): number => Math.exp(logErfc(-z / Math.SQRT2)) / 2;

/** ε(δ) of the Gaussian mechanism with μ = 1/σ_eff, from Balle & Wang 2018's closed form, by bisection. */
function exactGaussianEpsilon(mu: number, delta: number): number {
  const d = (e: number): number => Phi(-e / mu + mu / 2) - Math.exp(e) * Phi(-e / mu - mu / 2);
  let lo = 0;
  let hi = 200;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (d(mid) > delta) lo = mid;
    else hi = mid;
  }
  return hi;
}

describe('the PLD accountant', () => {
  it('with q = 1 matches the Gaussian mechanism of σ/√T in closed form (Balle & Wang 2018) to 0.5%', () => {
    for (const [sigma, steps, delta] of [
      [4, 16, 1e-5],
      [2, 1, 1e-5],
      [0.9, 3, 1e-6],
      [6, 9, 1e-3],
    ] as const) {
      const exact = exactGaussianEpsilon(Math.sqrt(steps) / sigma, delta);
      const { epsilon, discretisationError } = pldEpsilon({ q: 1, sigma, steps, delta });
      expect(Math.abs(epsilon - exact) / exact).toBeLessThan(0.005);
      // an upper bound, within the stated discretisation error
      expect(epsilon).toBeGreaterThanOrEqual(exact - 1e-9);
      expect(epsilon - exact).toBeLessThanOrEqual(discretisationError);
    }
  });

  it('is never above the RDP accountant for the same setting, and close below it', () => {
    for (const [q, sigma, steps] of [
      [0.1, 2, 100],
      [0.5, 3, 10],
      [0.02, 0.7, 300],
    ] as const) {
      const pld = pldEpsilon({ q, sigma, steps, delta: 1e-5 }).epsilon;
      const rdp = rdpToEpsilon(DEFAULT_ORDERS, computeRdp(q, sigma, steps), 1e-5).epsilon;
      expect(pld).toBeLessThanOrEqual(rdp);
      expect(pld).toBeGreaterThan(0.6 * rdp);
    }
  });

  it("one step's discrete PLD is pessimistic: its δ(ε) is at least the exact one off the grid, equal on it", () => {
    const h = 1e-3;
    for (const dir of ['remove', 'add'] as const) {
      const d = discretise(dir, 0.05, 1.2, h);
      const total = d.p.reduce((s, v) => s + v, d.inf);
      expect(total).toBeCloseTo(1, 9);
      const deltaOf = (eps: number): number =>
        d.p.reduce((s, m, i) => s + ((d.lo + i) * h > eps ? m * (1 - Math.exp(eps - (d.lo + i) * h)) : 0), d.inf);
      for (const eps of [-0.01, 0.0005, 0.0123, 0.1, 0.5005, 1.5]) {
        const exact = stepDelta(dir, 0.05, 1.2, eps);
        expect(deltaOf(eps)).toBeGreaterThanOrEqual(exact - 1e-12);
        expect(deltaOf(eps) - exact).toBeLessThan(1e-5);
      }
    }
  });

  it('refuses, before any work, settings whose PLD would be huge, with the way out named', () => {
    expect(() => pldEpsilon({ q: 0.5, sigma: 0.005, steps: 10, delta: 1e-5 })).toThrow(AccountantError);
    expect(() => pldEpsilon({ q: 0.5, sigma: 0.005, steps: 10, delta: 1e-5 })).toThrow(/use the rdp accountant/);
    expect(() => pldEpsilon({ q: 1, sigma: 0.3, steps: 1e9, delta: 1e-5 })).toThrow(/rdp accountant/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  AuditInputError,
  auditScores,
  fdpMu,
  fdpRejects,
  gdpEpsilon,
  oneRunEpsilon,
  oneRunPValue,
} from '../../src/audit/index.js';
import { normalQuantile } from '../../src/metrics/index.js';

const choose = (n: number, k: number) => {
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return c;
};
const pmf = (k: number, n: number, q: number) => choose(n, k) * q ** k * (1 - q) ** (n - k);
const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const eps = (rs: ReturnType<typeof auditScores>) => Object.fromEntries(rs.map((r) => [r.method, r.epsilon]));

describe('one_run (Steinke et al. 2023)', () => {
  it('r guesses all right, δ = 0: ε̂ = logit(α^(1/r)), the most r guesses can show', () => {
    for (const r of [10, 100, 1000]) {
      const q = 0.05 ** (1 / r);
      expect(oneRunEpsilon(2 * r, r, r, 0.05, 0)).toBeCloseTo(Math.log(q / (1 - q)), 7);
    }
    // r = 100: 0.05^(1/100) = 0.970487, ε̂ = ln(0.970487 / 0.029513) = 3.4930 by hand.
    expect(oneRunEpsilon(200, 100, 100, 0.05, 0)).toBeCloseTo(3.493, 3);
  });

  it('the p-value with δ is the theorem’s β + 2mδ · max_i P[v − i ≤ Bin < v] / i, summed directly', () => {
    for (const [m, r, v, e, d] of [
      [20, 10, 9, 0.7, 1e-3],
      [50, 30, 20, 0.2, 1e-2],
      [40, 12, 12, 2, 1e-4],
    ] as const) {
      const q = 1 / (1 + Math.exp(-e));
      let beta = 0;
      for (let k = v; k <= r; k++) beta += pmf(k, r, q);
      let best = 0,
        sum = 0;
      for (let i = 1; i <= v; i++) {
        sum += pmf(v - i, r, q);
        best = Math.max(best, sum / i);
      }
      expect(oneRunPValue(m, r, v, e, d)).toBeCloseTo(Math.min(1, beta + 2 * m * d * best), 12);
    }
  });

  it('δ > 0 lowers ε̂, more so with more canaries (the 2mδ term)', () => {
    const pure = oneRunEpsilon(200, 100, 100, 0.05, 0);
    const few = oneRunEpsilon(200, 100, 100, 0.05, 1e-5);
    const many = oneRunEpsilon(20000, 100, 100, 0.05, 1e-5);
    expect(few).toBeLessThan(pure);
    expect(many).toBeLessThan(few);
    expect(oneRunEpsilon(200, 100, 50, 0.05, 1e-5)).toBe(0); // half right: nothing to claim
  });
});

describe('one_run_fdp (Mahloujifar et al. 2024)', () => {
  it('at μ = 0 (a fair coin) with every guess right the recursion is exact: it rejects iff τ > 2^−r', () => {
    for (const r of [1, 2, 3, 5, 8]) {
      expect(fdpRejects(0, 20, r, r, 2 ** -r * 0.999)).toBe(false);
      expect(fdpRejects(0, 20, r, r, 2 ** -r * 1.001)).toBe(true);
    }
  });

  it('at μ = 0 it never rejects at τ below the true chance of v or more right (a valid test)', () => {
    for (const [r, v] of [
      [4, 3],
      [10, 8],
      [10, 6],
      [30, 20],
    ] as const) {
      let tail = 0;
      for (let k = v; k <= r; k++) tail += pmf(k, r, 0.5);
      expect(fdpRejects(0, 60, r, v, tail)).toBe(false);
    }
  });

  it('is tighter than one_run for the same guesses (the GDP null hypothesis is stronger), both growing with r', () => {
    let last = 0;
    for (const r of [10, 100, 500]) {
      const f = gdpEpsilon(fdpMu(2 * r, r, r, 0.05, 1e-5), 1e-5);
      expect(f).toBeGreaterThan(oneRunEpsilon(2 * r, r, r, 0.05, 1e-5));
      expect(f).toBeGreaterThan(last);
      last = f;
    }
  });
});

describe('clopper_pearson and gdp by hand, and the threshold choices', () => {
  const ten = { in: range(10, (i) => 1 + i), out: range(10, (i) => -i) };

  it('10 in above, 10 out below a given threshold: TPR_lb = 0.025^(1/10), FPR_ub = 1 − 0.025^(1/10)', () => {
    const [cp, , , g] = auditScores(ten, { threshold: { kind: 'given', threshold: 0.5 } });
    const lb = 0.025 ** 0.1; // 0.69150
    expect(cp!.epsilon).toBeCloseTo(Math.log((lb - 1e-5) / (1 - lb)), 10); // ≈ 0.8069
    expect(cp!.counts).toEqual({ in: 10, out: 10, guesses: 20, correct: 20 });
    expect(g!.details.mu).toBeCloseTo(2 * normalQuantile(lb), 10); // μ̂ ≈ 1.0006
    expect(g!.epsilon).toBeCloseTo(gdpEpsilon(2 * normalQuantile(lb), 1e-5), 10);
  });

  it('perfect separation of 1000 canaries gives a large ε̂ by every method at a given threshold', () => {
    const perfect = { in: range(500, (i) => 10 + i), out: range(500, (i) => -i) };
    const e = eps(auditScores(perfect, { threshold: { kind: 'given', threshold: 5 } }));
    for (const m of ['clopper_pearson', 'one_run', 'one_run_fdp', 'gdp']) expect(e[m]).toBeGreaterThan(4);
    const b = eps(auditScores(perfect));
    // Bonferroni over 1000 thresholds: α/1000 = 5e-5 is below one_run's 2mδ term (≈ 7e-5 here), so it claims 0.
    expect(b.one_run).toBe(0);
    for (const m of ['clopper_pearson', 'one_run_fdp', 'gdp']) expect(b[m]).toBeGreaterThan(3);
  });

  it('Bonferroni costs confidence, split halves the data, both are reproducible', () => {
    const given = eps(auditScores(ten, { threshold: { kind: 'given', threshold: 0.5 } }));
    const bonf = eps(auditScores(ten));
    for (const m of Object.keys(given)) expect(bonf[m]).toBeLessThan(given[m]!);
    const a = auditScores(ten, { threshold: { kind: 'split', seed: 3 } });
    expect(auditScores(ten, { threshold: { kind: 'split', seed: 3 } })).toEqual(a);
    expect(a[0]!.counts.in + a[0]!.counts.out).toBe(10); // ε̂ on the other half only
  });

  it('rejects empty and non-finite scores and bad options', () => {
    expect(() => auditScores({ in: [], out: [1] })).toThrow(AuditInputError);
    expect(() => auditScores({ in: [1, NaN], out: [1] })).toThrow(/in\[1\]/);
    expect(() => auditScores({ in: [1], out: [1] }, { delta: -0.1 })).toThrow(/delta/);
  });
});

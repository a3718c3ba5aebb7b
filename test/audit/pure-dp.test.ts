/**
 * δ = 0 (pure ε-DP): clopper_pearson and one_run have a δ = 0 form, checked here against bounds computed
 * independently (binomial sums and bisection, no incomplete beta); one_run_fdp and gdp have none and are
 * refused when named, left out when not.
 */
import { describe, expect, it } from 'vitest';
import { AuditInputError, auditScores, methodsAt } from '../../src/audit/index.js';
import { loadSource } from '../../src/cli/load.js';
import { BASE, errorsOf, memoryHost, pos } from '../check/helpers.js';

const choose = (n: number, k: number): number => {
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return c;
};
const cdf = (k: number, n: number, p: number): number => {
  let s = 0;
  for (let i = 0; i <= k; i++) s += choose(n, i) * p ** i * (1 - p) ** (n - i);
  return s;
};
/** The p with P[Bin(n, p) ≤ k] = a, by bisection on the summed pmf (the one-sided Clopper–Pearson upper bound). */
const upper = (k: number, n: number, a: number): number => {
  if (k >= n) return 1;
  let lo = 0,
    hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(k, n, mid) > a) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
};
/** Scores giving exactly tp of nIn and fp of nOut at or above threshold 0.5. */
const scores = (tp: number, nIn: number, fp: number, nOut: number) => ({
  in: Array.from({ length: nIn }, (_, i) => (i < tp ? 1 : 0)),
  out: Array.from({ length: nOut }, (_, i) => (i < fp ? 1 : 0)),
});
const given = { kind: 'given', threshold: 0.5 } as const;

describe('audits at δ = 0 (pure DP)', () => {
  it('clopper_pearson: ε̂ = max(ln(TPR_lb / FPR_ub), ln(TNR_lb / FNR_ub)), bounds by direct binomial sums', () => {
    for (const [tp, nIn, fp, nOut] of [
      [40, 50, 5, 50],
      [30, 30, 0, 30],
      [12, 40, 1, 60],
      [25, 50, 24, 50],
    ] as const) {
      const a = 0.05 / 2;
      const fprU = upper(fp, nOut, a),
        fnrU = upper(nIn - tp, nIn, a);
      const want = Math.max(0, Math.log((1 - fnrU) / fprU), Math.log((1 - fprU) / fnrU));
      const [r] = auditScores(scores(tp, nIn, fp, nOut), { delta: 0, threshold: given }, ['clopper_pearson']);
      expect(r!.epsilon).toBeCloseTo(want, 6);
    }
    // all right on 30 + 30: TPR_lb = 0.025^(1/30), FPR_ub = 1 − 0.025^(1/30): ε̂ = ln(0.88430 / 0.11570) = 2.0338
    const [all] = auditScores(scores(30, 30, 0, 30), { delta: 0, threshold: given }, ['clopper_pearson']);
    expect(all!.epsilon).toBeCloseTo(2.0338, 3);
  });

  it('δ = 0 gives a larger clopper_pearson ε̂ than any δ > 0 on the same cut', () => {
    const s = scores(40, 50, 5, 50);
    const e = (delta: number) => auditScores(s, { delta, threshold: given }, ['clopper_pearson'])[0]!.epsilon;
    expect(e(0)).toBeGreaterThan(e(1e-3));
    expect(e(1e-3)).toBeGreaterThan(e(0.1));
  });

  it('one_run: ε̂ is the largest ε with P[Bin(r, e^ε/(1+e^ε)) ≥ v] ≤ α, found by bisection on summed pmfs', () => {
    for (const [tp, nIn, fp, nOut] of [
      [40, 50, 5, 50],
      [20, 20, 0, 20],
      [30, 60, 10, 60],
    ] as const) {
      const r = tp + fp,
        v = tp;
      const tail = (e: number) => 1 - cdf(v - 1, r, 1 / (1 + Math.exp(-e)));
      let lo = 0,
        hi = 20;
      for (let i = 0; i < 200; i++) {
        const mid = (lo + hi) / 2;
        if (tail(mid) <= 0.05) lo = mid;
        else hi = mid;
      }
      const [got] = auditScores(scores(tp, nIn, fp, nOut), { delta: 0, threshold: given }, ['one_run']);
      expect(got!.epsilon).toBeCloseTo(lo, 6);
      expect(got!.counts).toMatchObject({ guesses: r, correct: v });
    }
  });

  it('one_run_fdp and gdp have no δ = 0 form: refused when named, left out by default', () => {
    const s = scores(40, 50, 5, 50);
    for (const m of ['gdp', 'one_run_fdp']) {
      expect(() => auditScores(s, { delta: 0 }, [m])).toThrow(AuditInputError);
      expect(() => auditScores(s, { delta: 0 }, [m])).toThrow(/no δ = 0 form: .*μ-GDP/);
    }
    expect(auditScores(s, { delta: 0 }).map((r) => r.method)).toEqual(['clopper_pearson', 'one_run']);
    expect(methodsAt(1e-5).map((m) => m.name)).toEqual(['clopper_pearson', 'one_run', 'one_run_fdp', 'gdp']);
    expect(() => auditScores(s, { delta: -1e-9 })).toThrow(/not in \[0, 1\)/);
  });
});

describe('delta: 0 in a spec audit', () => {
  const spec = (audit: string) =>
    BASE.replace('nonmembers digits.take(100) }', 'nonmembers digits.take(100), canaries digits.take(200) }') +
    `report { audit { ${audit} } }`;

  it('is accepted, and the default methods are those with a δ = 0 form', () => {
    const loaded = loadSource('spec.mia', spec('attacks [loss], delta: 0'), memoryHost({}));
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.program?.report.audit?.methods).toEqual(['clopper_pearson', 'one_run']);
  });

  it('naming a method without one is E156 at the method, saying what to use', () => {
    const src = spec('attacks [loss], delta: 0, methods [one_run, gdp]');
    const [e] = errorsOf(src, 'E156');
    expect(e?.message).toMatch(/^The audit method "gdp" has no δ = 0 form: .*μ-GDP/);
    expect(e?.range.start).toMatchObject(pos(src, 'gdp]'));
    expect(errorsOf(spec('attacks [loss], delta: -0.1'), 'E117')[0]?.message).toMatch(/at least 0 and below 1/);
  });
});

import { describe, it, expect } from 'vitest';
import { makeRng } from '../../src/util/rng.js';
import { aucCi, summarize, tprAtFprCi } from '../../src/metrics/index.js';

// Members 0.9 0.8 0.7 0.6, non-members 0.8 0.6 0.5 (see roc-metrics.test.ts for the arithmetic).
const scores = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.5];
const members = [1, 1, 0, 1, 0, 1, 0];

describe('summarize', () => {
  it('returns exactly the results.json metrics, with hand-computed values', () => {
    const s = summarize(scores, members);
    // FPR levels 0.001, 0.01, 0.1 all sit below 1/3: only (0, 1/4) qualifies.
    // Best threshold 0.7: tp 3 fp 1 → precision 3/4, recall 3/4.
    expect(Object.keys(s)).toEqual([
      'auc',
      'tprAtFpr',
      'balancedAccuracy',
      'advantage',
      'threshold',
      'precision',
      'recall',
    ]);
    expect(s.auc).toBeCloseTo(0.75, 15);
    expect(s.tprAtFpr).toEqual({ '0.001': 0.25, '0.01': 0.25, '0.1': 0.25 });
    expect(s.balancedAccuracy).toBeCloseTo(17 / 24, 15);
    expect(s.advantage).toBeCloseTo(5 / 12, 15);
    expect(s.threshold).toBe(0.7);
    expect(s.precision).toBe(0.75);
    expect(s.recall).toBe(0.75);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('keys TPR at FPR by String(level) for custom levels', () => {
    const s = summarize(scores, members, { fprLevels: [1 / 3, 0.5, 1e-7] });
    expect(s.tprAtFpr).toEqual({ [String(1 / 3)]: 0.75, '0.5': 0.75, '1e-7': 0.25 });
    expect(() => summarize(scores, members, { fprLevels: [2] })).toThrow(RangeError);
  });

  it('adds bootstrap intervals only when asked, the same as the single helpers', () => {
    const rng = makeRng(11);
    const big = Array.from({ length: 400 }, (_, i) => (i < 200 ? 1 : 0) + rng.normal());
    const labels = big.map((_, i) => (i < 200 ? 1 : 0));
    expect('ci' in summarize(big, labels)).toBe(false);
    const ci = { resamples: 200, seed: 5 };
    const s = summarize(big, labels, { ci });
    expect(Object.keys(s.ci ?? {})).toEqual(['auc', 'tprAtFpr', 'resamples']);
    expect(s.ci?.resamples).toBe(200);
    expect(s.ci?.auc).toEqual(aucCi(big, labels, ci));
    expect(Object.keys(s.ci?.tprAtFpr ?? {})).toEqual(['0.001', '0.01', '0.1']);
    expect(s.ci?.tprAtFpr['0.01']).toEqual(tprAtFprCi(big, labels, 0.01, ci));
    expect(summarize(big, labels, { ci })).toEqual(s);
    for (const [lo, hi] of [s.ci!.auc, ...Object.values(s.ci!.tprAtFpr)]) expect(lo).toBeLessThanOrEqual(hi);
  });

  it('throws on inputs with a single class', () => {
    expect(() => summarize([1, 2], [1, 1])).toThrow(RangeError);
  });
});

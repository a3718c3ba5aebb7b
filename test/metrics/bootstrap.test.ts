import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { makeRng } from '../../src/util/rng.js';
import {
  auc,
  aucCi,
  bootstrapCi,
  bootstrapRocCis,
  bootstrapAucTprCis,
  percentileInterval,
  roc,
  tprAtFpr,
  tprAtFprCi,
  type Roc,
} from '../../src/metrics/index.js';
import { sampleArb } from './arbitraries.js';

/** n members ~ N(shift, 1) then n non-members ~ N(0, 1). */
function gaussianSample(n: number, shift: number, seed: number): { scores: number[]; members: number[] } {
  const rng = makeRng(seed);
  const scores = [
    ...Array.from({ length: n }, () => shift + rng.normal()),
    ...Array.from({ length: n }, () => rng.normal()),
  ];
  return { scores, members: scores.map((_, i) => (i < n ? 1 : 0)) };
}

describe('percentileInterval', () => {
  it('interpolates linearly between order statistics', () => {
    // 5 values, positions (5 − 1)·q: level 0.5 → q 0.25, 0.75 → positions 1, 3 → 2, 4.
    expect(percentileInterval([5, 3, 1, 4, 2], 0.5)).toEqual([2, 4]);
    // level 0.8 → q 0.1, 0.9 → positions 0.4, 3.6 → 1 + 0.4·1 = 1.4, 4 + 0.6·1 = 4.6.
    const [lo, hi] = percentileInterval([1, 2, 3, 4, 5], 0.8);
    expect(lo).toBeCloseTo(1.4, 12);
    expect(hi).toBeCloseTo(4.6, 12);
  });
  it('handles infinite values', () => {
    expect(percentileInterval([Infinity, Infinity, Infinity], 0.9)).toEqual([Infinity, Infinity]);
  });
});

describe('bootstrapCi', () => {
  const sample = gaussianSample(60, 0.8, 1);

  it('is deterministic for a seed and depends on it', () => {
    const opts = { resamples: 200, seed: 42 };
    const a = aucCi(sample.scores, sample.members, opts);
    expect(aucCi(sample.scores, sample.members, opts)).toEqual(a);
    expect(aucCi(sample.scores, sample.members, { resamples: 200, seed: 43 })).not.toEqual(a);
    const stat = (s: Float64Array, m: Uint8Array): number => auc(roc(s, m));
    expect(bootstrapCi(sample.scores, sample.members, stat, opts)).toEqual(
      bootstrapCi(sample.scores, sample.members, stat, opts),
    );
  });

  it('resamples within each class, keeping both class sizes', () => {
    // 60 members and 60 non-members; each resample hands the statistic 60 ones then 60 zeros, and
    // members' scores (all >= 50 here) only where the label is 1.
    const scores = sample.scores.map((s, i) => (i < 60 ? s + 100 : s));
    const seen: number[] = [];
    bootstrapCi(
      scores,
      sample.members,
      (s, m) => {
        let ok = m.length === 120 ? 1 : 0;
        for (let i = 0; i < m.length; i++) if (m[i] !== (i < 60 ? 1 : 0) || s[i]! >= 50 !== (m[i] === 1)) ok = 0;
        seen.push(ok);
        return 0;
      },
      { resamples: 30, seed: 5 },
    );
    expect(seen).toEqual(Array.from({ length: 30 }, () => 1));
  });

  it('gives lo <= hi, and the fast ROC path equals the generic path resample for resample', () => {
    fc.assert(
      fc.property(sampleArb(undefined, 40), fc.integer(), ({ scores, members }, seed) => {
        const opts = { resamples: 25, seed, level: 0.9 };
        const generic = bootstrapCi(scores, members, (s, m) => auc(roc(s, m)), opts);
        const fast = aucCi(scores, members, opts);
        expect(fast).toEqual(generic);
        expect(fast[0]).toBeLessThanOrEqual(fast[1]);
        const tprGeneric = bootstrapCi(scores, members, (s, m) => tprAtFpr(roc(s, m), 0.25), opts);
        expect(tprAtFprCi(scores, members, 0.25, opts)).toEqual(tprGeneric);
      }),
      { numRuns: 60 },
    );
  });

  it('bootstrapAucTprCis equals bootstrapRocCis with auc and tprAtFpr, and the generic path', () => {
    fc.assert(
      fc.property(
        sampleArb(undefined, 50),
        fc.integer(),
        fc.array(fc.constantFrom(0, 0.001, 0.1, 0.25, 0.5, 1), { maxLength: 4 }),
        ({ scores, members }, seed, levels) => {
          const opts = { resamples: 20, seed, level: 0.9 };
          const stats = [auc, ...levels.map((l) => (c: Roc) => tprAtFpr(c, l))];
          const fused = bootstrapAucTprCis(scores, members, levels, opts);
          expect(fused).toEqual(bootstrapRocCis(scores, members, stats, opts));
          const generic = stats.map((f) => bootstrapCi(scores, members, (s, m) => f(roc(s, m)), opts));
          expect(fused).toEqual(generic);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('shares resamples across statistics in bootstrapRocCis', () => {
    const opts = { resamples: 100, seed: 9 };
    const [a, t] = bootstrapRocCis(sample.scores, sample.members, [auc, (c) => tprAtFpr(c, 0.1)], opts);
    expect(a).toEqual(aucCi(sample.scores, sample.members, opts));
    expect(t).toEqual(tprAtFprCi(sample.scores, sample.members, 0.1, opts));
  });

  it('is narrow on a large, clearly separated sample', () => {
    // Members N(4, 1), non-members N(0, 1): AUC = Φ(4/√2) ≈ 0.9977, with 2,000 of each.
    const big = gaussianSample(2000, 4, 2);
    const [lo, hi] = aucCi(big.scores, big.members, { resamples: 300, seed: 3 });
    expect(lo).toBeGreaterThan(0.99);
    expect(hi - lo).toBeLessThan(0.005);
    // Perfect separation: every resample has AUC 1.
    const sep = big.scores.map((s, i) => (i < 2000 ? s + 100 : s));
    expect(aucCi(sep, big.members, { resamples: 50, seed: 3 })).toEqual([1, 1]);
  });

  it('is wide on a small sample', () => {
    const small = gaussianSample(10, 0.5, 4);
    const [lo, hi] = aucCi(small.scores, small.members, { resamples: 500, seed: 1 });
    expect(hi - lo).toBeGreaterThan(0.2);
  });

  it('rejects bad options and one-class samples', () => {
    const { scores, members } = sample;
    expect(() => aucCi(scores, members, { resamples: 0, seed: 1 })).toThrow(RangeError);
    expect(() => aucCi(scores, members, { resamples: 2.5, seed: 1 })).toThrow(RangeError);
    expect(() => aucCi(scores, members, { level: 1, seed: 1 })).toThrow(RangeError);
    expect(() => aucCi(scores, members, { seed: NaN })).toThrow(RangeError);
    expect(() => aucCi([1, 2], [1, 1], { seed: 1 })).toThrow(/no non-members/);
    expect(() => bootstrapCi(scores, members, () => NaN, { seed: 1 })).toThrow(/NaN on resample 0/);
  });
});

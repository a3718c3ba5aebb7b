import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { makeRng } from '../../src/util/rng.js';
import {
  advantage,
  auc,
  balancedAccuracy,
  precisionRecallAt,
  roc,
  thresholdAt,
  tprAtFpr,
} from '../../src/metrics/index.js';
import { mannWhitney, sampleArb, scoreArb } from './arbitraries.js';

// The tied example used throughout: members 0.9 0.8 0.7 0.6 (P = 4), non-members 0.8 0.6 0.5 (N = 3).
// ROC points (FPR, TPR) with thresholds:
//   +Inf (0, 0) | 0.9 (0, 1/4) | 0.8 (1/3, 2/4) | 0.7 (1/3, 3/4) | 0.6 (2/3, 1) | 0.5 (1, 1)
const TIED = { scores: [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.5], members: [1, 1, 0, 1, 0, 1, 0] };

describe('auc: hand-computed', () => {
  it('counts ties as half, by trapezoids and by pairs', () => {
    // Trapezoids: (1/3 − 0)(1/4 + 1/2)/2 = 1/8; (2/3 − 1/3)(3/4 + 1)/2 = 7/24; (1 − 2/3)(1 + 1)/2 = 1/3;
    // the vertical steps add 0. Total 3/24 + 7/24 + 8/24 = 18/24 = 0.75.
    // Pairs (12): member 0.9 beats 3; 0.8 ties 0.8 (½) and beats 0.6, 0.5 → 2.5; 0.7 beats 0.6, 0.5 → 2;
    // 0.6 ties 0.6 (½) and beats 0.5 → 1.5. (3 + 2.5 + 2 + 1.5) / 12 = 9/12 = 0.75.
    expect(auc(roc(TIED.scores, TIED.members))).toBeCloseTo(0.75, 15);
  });
  it('is 0.5 when every score is the same', () => {
    // One step from (0, 0) to (1, 1): a triangle of area 1/2.
    expect(auc(roc([3, 3, 3, 3, 3], [1, 0, 0, 1, 0]))).toBe(0.5);
  });
  it('is 1 for perfect separation and 0 for the inverse', () => {
    // [4, 3] members above [2, 1]: the curve climbs to (0, 1) first, area 1.
    expect(auc(roc([4, 3, 2, 1], [1, 1, 0, 0]))).toBe(1);
    // Reversed labels: the curve runs along the bottom to (1, 0) first, area 0.
    expect(auc(roc([4, 3, 2, 1], [0, 0, 1, 1]))).toBe(0);
  });
  it('handles infinite scores', () => {
    // Member +Inf beats 1 and -Inf (2); member -Inf loses to 1, ties -Inf (½). 2.5 / 4 = 0.625.
    expect(auc(roc([Infinity, 1, -Infinity, -Infinity], [1, 0, 1, 0]))).toBe(0.625);
  });
});

describe('tprAtFpr, balancedAccuracy, advantage, thresholdAt: hand-computed', () => {
  const r = roc(TIED.scores, TIED.members);
  it('takes the highest TPR among points with FPR <= a', () => {
    // Points with FPR <= a: a < 1/3 → only (0, 0), (0, 1/4); a >= 1/3 adds (1/3, 1/2), (1/3, 3/4);
    // a >= 2/3 adds (2/3, 1).
    expect(tprAtFpr(r, 0)).toBe(0.25);
    expect(tprAtFpr(r, 0.3)).toBe(0.25);
    expect(tprAtFpr(r, 1 / 3)).toBe(0.75);
    expect(tprAtFpr(r, 0.5)).toBe(0.75);
    expect(tprAtFpr(r, 2 / 3)).toBe(1);
    expect(tprAtFpr(r, 1)).toBe(1);
  });
  it('gives 0 when no threshold reaches the level', () => {
    // Inverse ranking: the first non-member comes before any member, so only (0, 0) has FPR 0.
    expect(tprAtFpr(roc([4, 3, 2, 1], [0, 0, 1, 1]), 0.4)).toBe(0);
  });
  it('counts FPR exactly at the level (1/1000 is the literal 0.001)', () => {
    // 1000 non-members 0..999, one member at 998.5: >= 998.5 has tp 1, fp 1 → FPR 1/1000.
    const scores = [...Array.from({ length: 1000 }, (_, i) => i), 998.5];
    const members = [...Array.from({ length: 1000 }, () => 0), 1];
    expect(tprAtFpr(roc(scores, members), 0.001)).toBe(1);
    expect(tprAtFpr(roc(scores, members), 0.000999)).toBe(0);
  });
  it('rejects levels outside [0, 1]', () => {
    expect(() => tprAtFpr(r, -0.1)).toThrow(RangeError);
    expect(() => tprAtFpr(r, NaN)).toThrow(RangeError);
  });
  it('finds the best balanced accuracy, advantage and threshold', () => {
    // TPR − FPR per point: 1/4, 1/2 − 1/3 = 1/6, 3/4 − 1/3 = 5/12, 1 − 2/3 = 1/3, 0. Best 5/12 at 0.7.
    // Balanced accuracy (3/4 + 1 − 1/3) / 2 = (17/12) / 2 = 17/24.
    expect(advantage(r)).toBeCloseTo(5 / 12, 15);
    expect(balancedAccuracy(r)).toBeCloseTo(17 / 24, 15);
    expect(thresholdAt(r)).toBe(0.7);
  });
  it('predicts everyone at chance level rather than the +Infinity sentinel', () => {
    // Inverse ranking: TPR − FPR is −1/2, −1, −1/2, 0; the only 0 is the last point, threshold 1.
    const inverse = roc([4, 3, 2, 1], [0, 0, 1, 1]);
    expect(thresholdAt(inverse)).toBe(1);
    expect(balancedAccuracy(inverse)).toBe(0.5);
    expect(advantage(inverse)).toBe(0);
  });
  it('breaks ties towards the higher threshold', () => {
    // Members 3, 1; non-members 2, 0. TPR − FPR: >= 3: 1/2; >= 2: 0; >= 1: 1/2; >= 0: 0. Both 1/2 → 3.
    expect(thresholdAt(roc([3, 2, 1, 0], [1, 0, 1, 0]))).toBe(3);
  });
});

describe('auc: properties', () => {
  it('equals an O(n²) Mann–Whitney count to 1e-12', () => {
    fc.assert(
      fc.property(sampleArb(scoreArb, 120), ({ scores, members }) => {
        expect(Math.abs(auc(roc(scores, members)) - mannWhitney(scores, members))).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 200 },
    );
  });

  it('is unchanged by strictly increasing transforms of the scores', () => {
    const integerSample = sampleArb(fc.integer({ min: -50, max: 50 }));
    fc.assert(
      fc.property(integerSample, fc.integer(), ({ scores, members }, seed) => {
        const before = auc(roc(scores, members));
        // A random strictly increasing map: the k-th smallest distinct score goes to a sum of k
        // random positive steps.
        const rng = makeRng(seed);
        const distinct = [...new Set(scores)].sort((a, b) => a - b);
        const image = new Map<number, number>();
        let v = rng.normal() * 1e3;
        for (const s of distinct) image.set(s, (v += 1e-3 + rng.next() * 10));
        const transforms: ((x: number) => number)[] = [
          (x) => image.get(x) ?? NaN,
          (x) => x * x * x,
          (x) => Math.exp(x / 7),
          (x) => 3 * x - 11,
        ];
        for (const f of transforms) expect(auc(roc(scores.map(f), members))).toBe(before);
      }),
    );
  });

  it('becomes 1 − AUC when membership is flipped', () => {
    fc.assert(
      fc.property(sampleArb(), ({ scores, members }) => {
        const flipped = members.map((m) => 1 - m);
        const sum = auc(roc(scores, members)) + auc(roc(scores, flipped));
        expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-12);
      }),
    );
  });

  it('is 1 when every member scores above every non-member', () => {
    const part = fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(part, part, (a, b) => {
        const scores = [...a.map((x) => x + 3e6), ...b]; // every member above 2e6 > 1e6
        const members = [...a.map(() => 1), ...b.map(() => 0)];
        const r = roc(scores, members);
        expect(auc(r)).toBe(1);
        expect(advantage(r)).toBe(1);
        expect(balancedAccuracy(r)).toBe(1);
        expect(tprAtFpr(r, 0)).toBe(1);
      }),
    );
  });
});

describe('tprAtFpr, balancedAccuracy, advantage: properties', () => {
  const level = fc.double({ min: 0, max: 1, noNaN: true });

  it('tprAtFpr is non-decreasing in the FPR level', () => {
    fc.assert(
      fc.property(sampleArb(), level, level, ({ scores, members }, a, b) => {
        const r = roc(scores, members);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(tprAtFpr(r, lo)).toBeLessThanOrEqual(tprAtFpr(r, hi));
      }),
    );
  });

  it('balanced accuracy = (1 + advantage) / 2, and the threshold achieves it', () => {
    fc.assert(
      fc.property(sampleArb(), ({ scores, members }) => {
        const r = roc(scores, members);
        const adv = advantage(r);
        expect(adv).toBeGreaterThanOrEqual(0);
        expect(Math.abs(balancedAccuracy(r) - (1 + adv) / 2)).toBeLessThanOrEqual(1e-15);
        const c = precisionRecallAt(scores, members, thresholdAt(r));
        const tpr = c.truePositives / (c.truePositives + c.falseNegatives);
        const tnr = c.trueNegatives / (c.trueNegatives + c.falsePositives);
        expect(Math.abs((tpr + tnr) / 2 - balancedAccuracy(r))).toBeLessThanOrEqual(1e-12);
        expect(c.truePositives + c.falsePositives).toBeGreaterThan(0);
      }),
    );
  });
});

import { describe, it, expect } from 'vitest';
import { precisionRecallAt } from '../../src/metrics/index.js';

// Members 0.9 0.8 0.7 0.6, non-members 0.8 0.6 0.5.
const scores = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.5];
const members = [1, 1, 0, 1, 0, 1, 0];

describe('precisionRecallAt', () => {
  it('counts score >= threshold as a member prediction', () => {
    // >= 0.7 predicts 0.9, 0.8, 0.8, 0.7: tp 3 (0.9, 0.8, 0.7), fp 1 (0.8); fn 1 (0.6), tn 2 (0.6, 0.5).
    expect(precisionRecallAt(scores, members, 0.7)).toEqual({
      precision: 3 / 4,
      recall: 3 / 4,
      truePositives: 3,
      falsePositives: 1,
      trueNegatives: 2,
      falseNegatives: 1,
    });
  });
  it('includes ties at the threshold', () => {
    // >= 0.6: tp 4, fp 2 → precision 4/6, recall 1.
    const r = precisionRecallAt(scores, members, 0.6);
    expect([r.precision, r.recall]).toEqual([4 / 6, 1]);
  });
  it('gives null precision when nobody is predicted a member', () => {
    const r = precisionRecallAt(scores, members, Infinity);
    expect(r.precision).toBeNull();
    expect(r.recall).toBe(0);
  });
  it('gives null recall when there are no members', () => {
    expect(precisionRecallAt([1, 2], [0, 0], 1.5).recall).toBeNull();
  });
  it('throws on a NaN threshold or score', () => {
    expect(() => precisionRecallAt(scores, members, NaN)).toThrow(RangeError);
    expect(() => precisionRecallAt([1, NaN], [1, 0], 0)).toThrow(/index 1/);
  });
});

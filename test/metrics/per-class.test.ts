import { describe, it, expect } from 'vitest';
import { perClass, summarize } from '../../src/metrics/index.js';

describe('perClass', () => {
  // Class 0: members 0.9, 0.8; non-members 0.8, 0.1 → pairs 0.9>0.8, 0.9>0.1, 0.8=0.8 (½), 0.8>0.1: 3.5/4.
  // Class 2: members 0.3, non-member 0.7 → AUC 0. Class 1: only members. Class 5: only non-members.
  const scores = [0.9, 0.8, 0.8, 0.1, 0.5, 0.6, 0.3, 0.7, 0.2];
  const members = [1, 1, 0, 0, 1, 1, 1, 0, 0];
  const classes = [0, 0, 0, 0, 1, 1, 2, 2, 5];

  it('computes the metrics of each class, in class order', () => {
    const result = perClass(scores, members, classes);
    expect(result.map((r) => r.class)).toEqual([0, 1, 2, 5]);
    expect(result.map((r) => [r.members, r.nonMembers])).toEqual([
      [2, 2],
      [2, 0],
      [1, 1],
      [0, 1],
    ]);
    expect(result[0]!.metrics?.auc).toBe(0.875);
    expect(result[0]!.metrics).toEqual(summarize([0.9, 0.8, 0.8, 0.1], [1, 1, 0, 0]));
    expect(result[2]!.metrics?.auc).toBe(0);
  });

  it('gives null metrics with a reason to classes lacking members or non-members', () => {
    const result = perClass(scores, members, classes);
    expect(result[1]).toMatchObject({
      metrics: null,
      reason: 'Class 1 has no non-members, so its false-positive rate is undefined.',
    });
    expect(result[3]).toMatchObject({
      metrics: null,
      reason: 'Class 5 has no members, so its true-positive rate is undefined.',
    });
    expect(result[0]!.reason).toBeNull();
  });

  it('accepts class names and passes FPR levels on', () => {
    const result = perClass([3, 1, 2, 0], [1, 0, 1, 0], ['cat', 'cat', 'ant', 'ant'], { fprLevels: [0.5] });
    expect(result.map((r) => r.class)).toEqual(['ant', 'cat']);
    expect(result[0]!.metrics?.tprAtFpr).toEqual({ '0.5': 1 });
  });

  it('throws on mismatched lengths or NaN classes', () => {
    expect(() => perClass([1, 2], [1, 0], [0])).toThrow(RangeError);
    expect(() => perClass([1, 2], [1, 0], [0, NaN])).toThrow(/index 1/);
  });
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { roc } from '../../src/metrics/index.js';
import { sampleArb } from './arbitraries.js';

describe('roc: hand-computed', () => {
  it('matches the scikit-learn roc_curve documentation example', () => {
    // roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], drop_intermediate=False):
    // >= 0.8: tp 1 fp 0; >= 0.4: tp 1 fp 1; >= 0.35: tp 2 fp 1; >= 0.1: tp 2 fp 2. P = N = 2.
    const r = roc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(r.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(r.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(r.thresholds).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
  });

  it('moves tied scores together', () => {
    // Members 0.9 0.8 0.7 0.6 (P = 4), non-members 0.8 0.6 0.5 (N = 3).
    // >= 0.9: tp 1 fp 0; >= 0.8: tp 2 fp 1; >= 0.7: tp 3 fp 1; >= 0.6: tp 4 fp 2; >= 0.5: tp 4 fp 3.
    const r = roc([0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.5], [1, 1, 0, 1, 0, 1, 0]);
    expect(r.thresholds).toEqual([Infinity, 0.9, 0.8, 0.7, 0.6, 0.5]);
    expect(r.fpr).toEqual([0, 0, 1 / 3, 1 / 3, 2 / 3, 1]);
    expect(r.tpr).toEqual([0, 0.25, 0.5, 0.75, 1, 1]);
  });

  it('gives one step when all scores are equal', () => {
    const r = roc([2, 2, 2, 2], [1, 0, 1, 0]);
    expect(r).toEqual({ fpr: [0, 1], tpr: [0, 1], thresholds: [Infinity, 2] });
  });

  it('handles infinite scores, with +Infinity as a real threshold after the sentinel', () => {
    // Groups: +Inf (member), 1 (non-member), -Inf (member and non-member). P = N = 2.
    const r = roc([Infinity, 1, -Infinity, -Infinity], [1, 0, 1, 0]);
    expect(r.thresholds).toEqual([Infinity, Infinity, 1, -Infinity]);
    expect(r.fpr).toEqual([0, 0, 0.5, 1]);
    expect(r.tpr).toEqual([0, 0.5, 0.5, 1]);
  });

  it('treats -0 and 0 as one score', () => {
    expect(roc([-0, 0], [1, 0]).fpr).toEqual([0, 1]);
  });

  it('accepts typed arrays', () => {
    const r = roc(Float64Array.of(3, 1), Uint8Array.of(1, 0));
    expect(r.tpr).toEqual([0, 1, 1]);
  });
});

describe('roc: errors (bugs in the caller)', () => {
  it('names the index of a NaN score', () => {
    expect(() => roc([0.1, 0.2, NaN], [1, 0, 1])).toThrow(RangeError);
    expect(() => roc([0.1, 0.2, NaN], [1, 0, 1])).toThrow(/index 2/);
  });
  it('rejects labels other than 0 and 1', () => {
    expect(() => roc([1, 2], [1, 2])).toThrow(/index 1/);
  });
  it('rejects lengths that differ', () => {
    expect(() => roc([1, 2, 3], [1, 0])).toThrow(RangeError);
  });
  it('rejects a sample without members or without non-members', () => {
    expect(() => roc([1, 2], [1, 1])).toThrow(/no non-members/);
    expect(() => roc([1, 2], [0, 0])).toThrow(/no members/);
    expect(() => roc([], [])).toThrow(RangeError);
  });
});

describe('roc: properties', () => {
  it('starts at (0, 0) with +Infinity, ends at (1, 1), and is monotone', () => {
    fc.assert(
      fc.property(sampleArb(), ({ scores, members }) => {
        const r = roc(scores, members);
        const last = r.fpr.length - 1;
        expect([r.fpr[0], r.tpr[0], r.thresholds[0]]).toEqual([0, 0, Infinity]);
        expect([r.fpr[last], r.tpr[last]]).toEqual([1, 1]);
        expect(r.tpr.length).toBe(r.fpr.length);
        expect(r.thresholds.length).toBe(r.fpr.length);
        for (let i = 1; i <= last; i++) {
          expect(r.fpr[i]).toBeGreaterThanOrEqual(r.fpr[i - 1]!);
          expect(r.tpr[i]).toBeGreaterThanOrEqual(r.tpr[i - 1]!);
          if (i >= 2) expect(r.thresholds[i]).toBeLessThan(r.thresholds[i - 1]!);
          // Every point moves: a distinct score always holds at least one record.
          expect(r.fpr[i]! + r.tpr[i]!).toBeGreaterThan(r.fpr[i - 1]! + r.tpr[i - 1]!);
        }
      }),
    );
  });

  it('has one point per distinct score, each the rates of score >= threshold (brute force)', () => {
    fc.assert(
      fc.property(sampleArb(), ({ scores, members }) => {
        const r = roc(scores, members);
        expect(r.thresholds.length - 1).toBe(new Set(scores).size);
        const p = members.filter((m) => m === 1).length;
        const n = members.length - p;
        for (let i = 1; i < r.thresholds.length; i++) {
          let tp = 0;
          let fp = 0;
          scores.forEach((s, j) => {
            if (s >= r.thresholds[i]!) members[j] === 1 ? tp++ : fp++;
          });
          expect(r.tpr[i]).toBe(tp / p);
          expect(r.fpr[i]).toBe(fp / n);
        }
      }),
    );
  });
});

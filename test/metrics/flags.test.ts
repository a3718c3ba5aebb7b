/** Flags on figures not to be trusted, computed where every attack's metrics are (evaluateScores). */
import { describe, expect, it } from 'vitest';
import { evaluateScores } from '../../src/metrics/index.js';

const member = Array.from({ length: 40 }, (_, i) => (i < 20 ? 1 : 0));
const label = member.map(() => 0);
const ev = (score: number[], fprLevels = [0.1]) =>
  evaluateScores({ score, member, label, fprLevels, seed: 1, resamples: 50 }).metrics;

describe('metric flags', () => {
  it('every score equal: flagged scores_constant, AUC 0.5 kept beside the flag', () => {
    for (const v of [0, 0.7, -Number.MAX_VALUE]) {
      const m = ev(member.map(() => v));
      expect(m.auc).toBe(0.5);
      expect(m.flags?.map((f) => f.reason)).toEqual(['scores_constant']);
      expect(m.flags![0]!.message).toContain(`Every score is ${+v.toPrecision(6)}:`);
    }
  });

  it('every score NaN, or infinite: flagged scores_non_finite', () => {
    expect(ev(member.map(() => Number.NaN)).flags?.map((f) => f.reason)).toEqual(['scores_non_finite']);
    expect(ev(member.map(() => Number.NaN)).flags![0]!.message).toMatch(/non-finite \(NaN\)/);
    expect(ev(member.map(() => -Infinity)).flags![0]!.message).toMatch(/non-finite \(infinite\)/);
    expect(ev(member.map((_, i) => (i % 2 ? Infinity : Number.NaN))).flags![0]!.reason).toBe('scores_non_finite');
  });

  it('some NaN among finite scores: flagged scores_nan, with the count', () => {
    const m = ev(member.map((x, i) => (i === 3 ? Number.NaN : x + i / 100)));
    expect(m.flags?.map((f) => f.reason)).toEqual(['scores_nan']);
    expect(m.flags![0]!.message).toMatch(/^1 of 40 scores are NaN/);
  });

  it('two distinct values, and infinite scores among finite ones, are measurements: no flag', () => {
    expect(ev(member.map((x) => x)).flags).toBeUndefined();
    expect(ev(member.map((x) => x)).auc).toBe(1);
    const m = ev(member.map((x, i) => (i % 5 === 0 ? -Infinity : x + i / 100)));
    expect(m.flags).toBeUndefined();
  });

  it('TPR at a level below 1/(non-members) is TPR at zero false positives: flagged with its levels', () => {
    // 20 non-members: 1/20 = 5%; 1% is below, 10% is not, 5% exactly is not
    const m = ev(
      member.map((x, i) => x + i / 100),
      [0.001, 0.01, 0.05, 0.1],
    );
    expect(m.flags).toEqual([
      {
        reason: 'tpr_at_zero_fp',
        message:
          'With 20 non-members the smallest false-positive rate above 0 is 1/20 = 5%: TPR at 0.1%, 1% is TPR at zero false positives.',
        levels: ['0.001', '0.01'],
      },
    ]);
    expect(
      ev(
        member.map(() => 1),
        [0.01],
      ).flags?.map((f) => f.reason),
    ).toEqual(['scores_constant', 'tpr_at_zero_fp']);
  });
});

import { describe, expect, it } from 'vitest';
import { privacyRisk, scoreBins, scoreRanks, sliceMetrics, worstSlice } from '../../src/metrics/index.js';

describe('per-record exposure: ranks, bins and the privacy risk score', () => {
  it('ranks 1 = highest score, ties share the best rank, NaN last', () => {
    expect(scoreRanks([0.2, 0.9, 0.5, 0.9, Number.NaN, -1])).toEqual([4, 1, 3, 1, 6, 5]);
  });

  it('bins hold about n/bins records and never split equal scores', () => {
    const score = [1, 1, 1, 1, 2, 3, 4, 5, 6, 7];
    const { bin, count } = scoreBins(score, 5);
    expect(new Set(bin.slice(0, 4)).size).toBe(1); // the four 1s together
    expect(count).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < score.length; i++) expect(bin[i]!).toBeGreaterThanOrEqual(bin[i - 1]!);
  });

  it('is Pr(member | bin) by Bayes at the prior, leave-one-out, add-½ smoothed', () => {
    // Two bins: low scores (3 non-members, 1 member), high scores (1 non-member, 3 members).
    const score = [0, 0, 0, 0, 1, 1, 1, 1];
    const member = [0, 0, 0, 1, 0, 1, 1, 1];
    const risk = privacyRisk(score, member, 0.5, 2);
    // A member in the high bin: its own label left out, 2 of the other 3 members there, 1 of 4 non-members.
    const pin = (2 + 0.5) / (3 + 1);
    const pout = (1 + 0.5) / (4 + 1);
    expect(risk[5]).toBeCloseTo(pin / (pin + pout), 6);
    // A non-member in the low bin: 1 of 4 members there, 2 of the other 3 non-members.
    const pin2 = (1 + 0.5) / (4 + 1);
    const pout2 = (2 + 0.5) / (3 + 1);
    expect(risk[0]).toBeCloseTo(pin2 / (pin2 + pout2), 6);
    // A lower prior lowers every risk; every risk is in (0, 1).
    const low = privacyRisk(score, member, 0.1, 2);
    low.forEach((r, i) => expect(r).toBeLessThan(risk[i]!));
    for (const r of [...risk, ...low]) expect(r > 0 && r < 1).toBe(true);
    expect(() => privacyRisk(score, member, 1)).toThrow(/prior/);
  });

  it('a score that separates members gives members the higher risk; a useless one about the prior', () => {
    const n = 400;
    const member = Array.from({ length: n }, (_, i) => i % 2);
    const good = member.map((m, i) => m + (i % 7) / 10);
    const r = privacyRisk(good, member);
    const mean = (m: number) => r.filter((_, i) => member[i] === m).reduce((a, b) => a + b, 0) / (n / 2);
    expect(mean(1)).toBeGreaterThan(0.9);
    expect(mean(0)).toBeLessThan(0.1);
    const flat = privacyRisk(new Array(n).fill(0.3), member);
    for (const x of flat) expect(Math.abs(x - 0.5)).toBeLessThan(0.01);
  });
});

describe('slices', () => {
  const score = [0.9, 0.8, 0.1, 0.2, 0.6, 0.4, 0.5, 0.5, 0.7];
  const member = [1, 1, 0, 0, 1, 0, 1, 0, 1];
  const groups = [0, 0, 0, 0, 1, 1, 1, 1, 2];
  const slices = sliceMetrics({ by: 'class', score, member, groups, fprLevels: [0.01, 0.5], seedOf: () => 1 });

  it('has one slice per value, metrics over its records only, with intervals', () => {
    expect(slices.map((s) => s.value)).toEqual([0, 1, 2]);
    expect(slices[0]!.metrics!.auc).toBe(1);
    expect(slices[1]!.metrics!.auc).toBeCloseTo(0.875, 12); // (1 + 1 + 1 + 0.5) / 4
    expect(slices[0]!.metrics!.ci!.auc[0]).toBeLessThanOrEqual(slices[0]!.metrics!.ci!.auc[1]);
    expect(slices[2]!.metrics).toBeNull();
    expect(slices[2]!.reason).toMatch(/no non-members/);
  });

  it('flags a TPR level below 1/(the slice non-members), and names the worst slice', () => {
    expect(slices[0]!.metrics!.flags).toEqual([
      expect.objectContaining({ reason: 'tpr_at_zero_fp', levels: ['0.01'] }),
    ]);
    expect(worstSlice(slices)).toEqual({ by: 'class', value: 0, auc: 1 });
    expect(worstSlice([])).toBeNull();
  });
});

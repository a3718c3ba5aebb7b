import { describe, expect, it } from 'vitest';
import { aucCi, defaultResamples } from '../../src/metrics/bootstrap.js';
import { evaluateScores } from '../../src/metrics/evaluate.js';
import { makeRng } from '../../src/util/rng.js';

describe('bootstrap resamples by size', () => {
  it('keeps 1000 resamples up to 20,000 records and bounds resamples × records above', () => {
    expect([1, 400, 20_000].map(defaultResamples)).toEqual([1000, 1000, 1000]);
    expect(defaultResamples(40_000)).toBe(500);
    expect(defaultResamples(1_000_000)).toBe(200);
  });

  it('evaluateScores uses them: a 40,000-record interval equals aucCi with 500 resamples', () => {
    const rng = makeRng(5);
    const n = 40_000;
    const member = Array.from({ length: n }, (_, i) => i % 2);
    const score = member.map((m) => m * 0.3 + rng.normal());
    const ev = evaluateScores({ score, member, label: new Array(n).fill(0), fprLevels: [0.01], seed: 9 });
    expect(ev.metrics.ci!.auc).toEqual(aucCi(score, member, { seed: 9, resamples: 500, level: 0.95 }));
    expect(ev.metrics.ci!.auc).not.toEqual(aucCi(score, member, { seed: 9, resamples: 1000, level: 0.95 }));
    // results.json states the number where it is not the default 1000, and only there.
    expect(ev.metrics.ci!.resamples).toBe(500);
    const small = evaluateScores({
      score: score.slice(0, 400),
      member: member.slice(0, 400),
      label: new Array(400).fill(0),
      fprLevels: [],
      seed: 9,
    });
    expect(Object.keys(small.metrics.ci!)).toEqual(['auc', 'tprAtFpr']);
  });
});

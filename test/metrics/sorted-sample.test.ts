import { describe, expect, it } from 'vitest';
import { auc, roc, tprAtFpr } from '../../src/metrics/index.js';
import { sortedSample } from '../../src/metrics/sorted-sample.js';
import { makeRng, type Rng } from '../../src/util/rng.js';

/** An Rng whose every integer draw is 0: a resample of copies of each stratum's first record. */
const firstOnly: Rng = { ...makeRng(1), int: () => 0, ints: (_n, out, count = out.length) => out.fill(0, 0, count) };

describe('sortedSample', () => {
  it('recounts exactly when a byte count wraps (a record drawn 256 times or more)', () => {
    // 300 members and 300 non-members, scores with ties; every draw picks position 0 of its stratum.
    const rng = makeRng(3);
    const scores = Array.from({ length: 600 }, () => Math.round(rng.normal() * 4));
    const memberIndex = Uint32Array.from({ length: 300 }, (_, i) => 2 * i);
    const nonMemberIndex = Uint32Array.from({ length: 300 }, (_, i) => 2 * i + 1);
    const sample = sortedSample(scores, { memberIndex, nonMemberIndex });
    sample.draw(firstOnly);
    const resampled = [...Array(300).fill(scores[0]), ...Array(300).fill(scores[1])];
    const truth = roc(
      resampled,
      resampled.map((_, i) => (i < 300 ? 1 : 0)),
    );
    expect(sample.roc()).toEqual(truth);
    const levels = [0.5, 0, 1];
    const tprs = new Float64Array(3);
    expect(sample.aucAndTprs(levels, tprs)).toBe(auc(truth));
    expect(Array.from(tprs)).toEqual(levels.map((l) => tprAtFpr(truth, l)));
  });

  it('gives the ROC of the resampled scores on ordinary draws, with and without ties', () => {
    for (const tied of [false, true]) {
      const rng = makeRng(tied ? 4 : 5);
      const scores = Array.from({ length: 400 }, () => (tied ? Math.round(rng.normal() * 3) : rng.normal()));
      const memberIndex = Uint32Array.from({ length: 150 }, (_, i) => i);
      const nonMemberIndex = Uint32Array.from({ length: 250 }, (_, i) => 150 + i);
      const sample = sortedSample(scores, { memberIndex, nonMemberIndex });
      const a = makeRng(8);
      const b = makeRng(8);
      for (let r = 0; r < 5; r++) {
        sample.draw(a);
        const picked = [
          ...Array.from({ length: 150 }, () => scores[memberIndex[b.int(150)]!]!),
          ...Array.from({ length: 250 }, () => scores[nonMemberIndex[b.int(250)]!]!),
        ];
        const truth = roc(
          picked,
          picked.map((_, i) => (i < 150 ? 1 : 0)),
        );
        expect(sample.roc()).toEqual(truth);
        const tprs = new Float64Array(2);
        expect(sample.aucAndTprs([0.01, 0.1], tprs)).toBe(auc(truth));
        expect(Array.from(tprs)).toEqual([tprAtFpr(truth, 0.01), tprAtFpr(truth, 0.1)]);
      }
    }
  });
});

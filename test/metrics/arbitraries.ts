/** Shared fast-check arbitraries and brute-force references for the metric tests. */
import fc from 'fast-check';

/** A labelled sample: scores and 0/1 membership, both classes present. */
export interface Sample {
  scores: number[];
  members: number[];
}

/** Scores with many ties, extremes (±Infinity, -0) and arbitrary doubles. */
export const scoreArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double({ noNaN: true }),
  fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0),
);

/** A sample with at least one member and one non-member. */
export function sampleArb(score: fc.Arbitrary<number> = scoreArb, maxLength = 60): fc.Arbitrary<Sample> {
  return fc
    .array(fc.tuple(score, fc.constantFrom(0, 1)), { minLength: 2, maxLength })
    .filter((rows) => rows.some(([, m]) => m === 1) && rows.some(([, m]) => m === 0))
    .map((rows) => ({ scores: rows.map(([s]) => s), members: rows.map(([, m]) => m) }));
}

/** Mann–Whitney: P(member score > non-member score) + ½ P(tie), over all pairs, O(n²). */
export function mannWhitney(scores: readonly number[], members: readonly number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (members[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (members[j] !== 0) continue;
      pairs++;
      if (scores[i]! > scores[j]!) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

import { describe, expect, it } from 'vitest';
import {
  defenderScore,
  type DefenderModel,
  fitDefenderModel,
  memguard,
} from '../../../src/defenses/mechanics/memguard.js';
import { makeRng, type Rng } from '../../../src/util/rng.js';

/** A 10-class confidence vector: members are confidently right (margin ≈ 6), non-members less so (≈ 2.5). */
function vector(rng: Rng, member: boolean): Float64Array {
  const z = Float64Array.from({ length: 10 }, () => rng.normal());
  z[rng.int(10)]! += member ? 6 + rng.normal() : 2.5 + 1.5 * rng.normal();
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

const argmax = (v: Float64Array): number => v.indexOf(Math.max(...v));
const l1 = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0);

function setting(kind: DefenderModel['kind']) {
  const rng = makeRng(3);
  const members = Array.from({ length: 150 }, () => vector(rng, true));
  const nonMembers = Array.from({ length: 150 }, () => vector(rng, false));
  const defender = fitDefenderModel(members, nonMembers, kind, 1);
  const queries = [
    ...Array.from({ length: 20 }, () => vector(rng, true)),
    ...Array.from({ length: 20 }, () => vector(rng, false)),
  ];
  return { defender, queries };
}

describe('MemGuard', () => {
  for (const kind of ['logistic', 'mlp'] as const) {
    it(`keeps labels and sums, bounds the change, and moves the ${kind} defender towards 0.5`, () => {
      const { defender, queries } = setting(kind);
      const rng = makeRng(5);
      let distBefore = 0;
      let distAfter = 0;
      let moved = 0;
      for (const s of queries) {
        const r = memguard(s, defender, { epsilon: 0.5 }, rng);
        for (const v of [r.released, r.candidate]) {
          expect(argmax(v)).toBe(argmax(s));
          expect(v.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
          expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
        }
        expect(r.p * l1(r.candidate, s)).toBeLessThanOrEqual(0.5 + 1e-12); // the expected L1 budget
        expect(l1(r.released, s)).toBe(r.applied ? l1(r.candidate, s) : 0);
        expect(r.scoreBefore).toBeCloseTo(defenderScore(defender, s), 12);
        expect(Math.abs(r.scoreExpected - 0.5)).toBeLessThanOrEqual(Math.abs(r.scoreBefore - 0.5) + 1e-12);
        distBefore += Math.abs(r.scoreBefore - 0.5);
        distAfter += Math.abs(defenderScore(defender, r.released) - 0.5);
        if (r.applied) moved++;
      }
      expect(moved).toBeGreaterThan(queries.length / 2);
      expect(distAfter).toBeLessThan(0.5 * distBefore);
    });
  }

  it('a smaller budget spends less: the expected change is at most ε', () => {
    const { defender, queries } = setting('logistic');
    const rng = makeRng(6);
    for (const s of queries.slice(0, 10)) {
      const r = memguard(s, defender, { epsilon: 0.01 }, rng);
      expect(r.p * l1(r.candidate, s)).toBeLessThanOrEqual(0.01 + 1e-12);
    }
  });
});

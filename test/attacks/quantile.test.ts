import { describe, expect, it } from 'vitest';
import type { AttackContext } from '../../src/attacks/context.js';
import { marginOf, quantileAttack } from '../../src/attacks/quantile.js';
import { makeRng } from '../../src/util/rng.js';

/**
 * Records of two kinds (feature 1 or 0, "easy" and "hard") whose non-member margins differ by kind: easy
 * records have margin ~ N(4, 1), hard ones N(0, 1); members get +1.5. A global threshold is swamped by easy
 * non-members; the regressor learns each kind's quantile from the population.
 */
function world(n: number, seed: number): AttackContext {
  const rng = makeRng(seed);
  const x = new Float32Array(n);
  const logits = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  const pop = Math.floor(n / 2);
  for (let r = 0; r < n; r++) {
    const easy = rng.next() < 0.5 ? 1 : 0;
    const member = r >= pop && r % 2 === 0;
    x[r] = easy;
    const m = (easy ? 4 : 0) + rng.normal() + (member ? 1.5 : 0);
    logits[2 * r] = m; // label 0: margin z_0 − z_1 = m
  }
  const candidates = Array.from({ length: n - pop }, (_, i) => pop + i);
  return {
    labels,
    classes: 2,
    target: { logits, classes: 2 },
    candidates,
    shadows: new Map(),
    population: Array.from({ length: pop }, (_, i) => i),
    features: { x, dim: 1 },
    seed: 3,
  };
}

describe('the quantile-regression attack (Bertran et al. 2023)', () => {
  it('flags about fpr of non-members at threshold 0, and beats the global margin threshold at that FPR', () => {
    const ctx = world(8000, 1);
    const scores = quantileAttack(ctx, { fpr: 0.05, hidden: 8, epochs: 20 });
    const isMember = (r: number): boolean => r % 2 === 0;
    const non = ctx.candidates.flatMap((r, i) => (isMember(r) ? [] : [scores[i]!]));
    const mem = ctx.candidates.flatMap((r, i) => (isMember(r) ? [scores[i]!] : []));
    const fpr = non.filter((s) => s > 0).length / non.length;
    expect(fpr).toBeGreaterThan(0.025);
    expect(fpr).toBeLessThan(0.08);
    // TPR at the same FPR: the quantile score against the raw margin
    const tprAt = (m: number[], n: number[]): number => {
      const t = [...n].sort((a, b) => b - a)[Math.floor(0.05 * n.length)]!;
      return m.filter((s) => s > t).length / m.length;
    };
    const margin = (r: number): number => marginOf(ctx.target, r, 0);
    const rawMem = ctx.candidates.filter(isMember).map(margin);
    const rawNon = ctx.candidates.filter((r) => !isMember(r)).map(margin);
    expect(tprAt(mem, non)).toBeGreaterThan(tprAt(rawMem, rawNon) + 0.05);
  });

  it("the margin is the true class's logit over the best other, clipped to ±100", () => {
    const s = { logits: Float32Array.of(3, 1, 2, 0, 1e9, -1e9), classes: 3 };
    expect(marginOf(s, 0, 0)).toBe(1);
    expect(marginOf(s, 0, 1)).toBe(-2);
    expect(marginOf(s, 1, 1)).toBe(100);
  });
});

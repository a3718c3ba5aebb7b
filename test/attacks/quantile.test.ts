import { describe, expect, it } from 'vitest';
import type { AttackContext } from '../../src/attacks/context.js';
import { normalQuantile } from '../../src/metrics/index.js';
import { marginOf, quantileAttack } from '../../src/attacks/quantile.js';
import { makeRng } from '../../src/util/rng.js';

/**
 * Records of two kinds, "easy" and "hard", whose non-member margins differ: easy ones N(4, 1), hard ones
 * N(0, 1); members get +1.5. Which kind a record is depends on its feature and its label together (easy
 * when they agree), so only a regressor that reads both can tell. A global threshold is swamped by easy
 * non-members; the regressor learns each kind's quantile (or mean and spread) from the population.
 */
function world(n: number, seed: number): AttackContext {
  const rng = makeRng(seed);
  const x = new Float32Array(n);
  const logits = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  const pop = Math.floor(n / 2);
  for (let r = 0; r < n; r++) {
    x[r] = rng.next() < 0.5 ? 1 : 0;
    labels[r] = rng.next() < 0.5 ? 1 : 0;
    const easy = x[r] === labels[r];
    const member = r >= pop && r % 2 === 0;
    const m = (easy ? 4 : 0) + rng.normal();
    logits[2 * r + labels[r]!] = m + (member ? 1.5 : 0); // the margin z_y − z_other
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

const isMember = (r: number): boolean => r % 2 === 0;
/** TPR at the threshold that passes a fraction `fpr` of non-members. */
const tprAt = (m: number[], n: number[], fpr: number): number => {
  const t = [...n].sort((a, b) => b - a)[Math.floor(fpr * n.length)]!;
  return m.filter((s) => s > t).length / m.length;
};

describe('the quantile-regression attack (Bertran et al. 2023)', () => {
  it.each(['pinball', 'gaussian'] as const)(
    'with the %s loss, flags about fpr of non-members at threshold 0, and beats the global margin threshold at that FPR',
    (loss) => {
      const ctx = world(8000, 1);
      const scores = quantileAttack(ctx, { fpr: 0.05, hidden: 8, epochs: 20, loss });
      const non = ctx.candidates.flatMap((r, i) => (isMember(r) ? [] : [scores[i]!]));
      const mem = ctx.candidates.flatMap((r, i) => (isMember(r) ? [scores[i]!] : []));
      const fpr = non.filter((s) => s > 0).length / non.length;
      expect(fpr).toBeGreaterThan(0.025);
      expect(fpr).toBeLessThan(0.08);
      const margin = (r: number): number => marginOf(ctx.target, r, ctx.labels[r]!);
      const rawMem = ctx.candidates.filter(isMember).map(margin);
      const rawNon = ctx.candidates.filter((r) => !isMember(r)).map(margin);
      expect(tprAt(mem, non, 0.05)).toBeGreaterThan(tprAt(rawMem, rawNon, 0.05) + 0.05);
    },
  );

  it('the Gaussian z-score ranks at any FPR: at 1% it beats the global threshold too, from the same fit', () => {
    const ctx = world(8000, 2);
    const scores = quantileAttack(ctx, { fpr: 0.05, hidden: 8, epochs: 20, loss: 'gaussian' });
    const non = ctx.candidates.flatMap((r, i) => (isMember(r) ? [] : [scores[i]!]));
    const mem = ctx.candidates.flatMap((r, i) => (isMember(r) ? [scores[i]!] : []));
    const margin = (r: number): number => marginOf(ctx.target, r, ctx.labels[r]!);
    const rawMem = ctx.candidates.filter(isMember).map(margin);
    const rawNon = ctx.candidates.filter((r) => !isMember(r)).map(margin);
    expect(tprAt(mem, non, 0.01)).toBeGreaterThan(tprAt(rawMem, rawNon, 0.01) + 0.05);
    // the fpr setting only shifts the Gaussian score by Φ⁻¹(1 − fpr): the same ranking
    const at1 = quantileAttack(ctx, { fpr: 0.01, hidden: 8, epochs: 20, loss: 'gaussian' });
    at1.forEach((s, i) => {
      expect(s).toBeCloseTo(scores[i]! + normalQuantile(0.95) - normalQuantile(0.99), 9);
    });
  });

  it("the margin is the true class's logit over the best other, clipped to ±100", () => {
    const s = { logits: Float32Array.of(3, 1, 2, 0, 1e9, -1e9), classes: 3 };
    expect(marginOf(s, 0, 0)).toBe(1);
    expect(marginOf(s, 0, 1)).toBe(-2);
    expect(marginOf(s, 1, 1)).toBe(100);
  });

  it('Φ⁻¹ matches its known values in the centre and both tails', () => {
    // scipy.stats.norm.ppf
    const known: [number, number][] = [
      [0.5, 0],
      [0.975, 1.959963984540054],
      [0.99, 2.3263478740408408],
      [0.01, -2.3263478740408408],
      [0.001, -3.090232306167813],
      [1e-6, -4.753424308822899],
    ];
    for (const [p, z] of known) expect(normalQuantile(p)).toBeCloseTo(z, 7);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });
});

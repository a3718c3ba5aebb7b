import { describe, expect, it } from 'vitest';
import { shadowModelAttack, type ShadowModelOptions } from '../../src/attacks/shadow-model.js';
import type { AttackContext, ReferenceModel } from '../../src/attacks/context.js';
import { fitStandardizer } from '../../src/attacks/fit/standardize.js';
import { logProbabilities, probabilities } from '../../src/attacks/signals.js';
import { auc, roc } from '../../src/metrics/index.js';
import { makeRng } from '../../src/util/rng.js';

/**
 * A confident model, as the synthetic Purchase targets are: every record's true-class logit leads
 * the others by a margin near 11 (top probability above 0.9999), a member's by one more on average.
 * The member/non-member difference is in the fifth decimal of the top probability.
 */
function confidentWorld(seed: number) {
  const classes = 10;
  const perModel = 400;
  const models = 5; // four shadows, then the target
  const n = perModel * models;
  const rng = makeRng(seed);
  const labels = Int32Array.from({ length: n }, () => Math.floor(rng.next() * classes));
  const signalsOf = (inSet: Set<number>) => {
    const logits = new Float64Array(n * classes);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < classes; c++) logits[r * classes + c] = 0.3 * rng.normal();
      logits[r * classes + labels[r]!] = 10 + (inSet.has(r) ? 1 : 0) + rng.normal();
    }
    return { logits, classes };
  };
  const split = (m: number) => {
    const idx = Array.from({ length: perModel }, (_, i) => m * perModel + i);
    return { inIdx: idx.filter((_, i) => i % 2 === 0), outIdx: idx.filter((_, i) => i % 2 === 1) };
  };
  const shadows: ReferenceModel[] = [0, 1, 2, 3].map((m) => {
    const { inIdx, outIdx } = split(m);
    return { signals: signalsOf(new Set(inIdx)), inIdx, outIdx };
  });
  const t = split(4);
  const ctx: AttackContext = {
    labels,
    classes,
    target: signalsOf(new Set(t.inIdx)),
    candidates: [...t.inIdx, ...t.outIdx],
    shadows: new Map([['s', shadows]]),
  };
  const members = ctx.candidates.map((_, i) => (i < t.inIdx.length ? 1 : 0));
  return { ctx, members };
}

const opts = (o: Partial<ShadowModelOptions>): ShadowModelOptions => ({
  perClass: true,
  classifier: 'logistic',
  features: 'sorted',
  standardize: true,
  seed: 1,
  ...o,
});

describe('the shadow-model attack on a confident target', () => {
  const { ctx, members } = confidentWorld(3);
  const aucOf = (o: Partial<ShadowModelOptions>): number => auc(roc(shadowModelAttack(ctx, 's', opts(o)), members));

  it('separates members once its inputs are standardised; on raw probabilities it stays near chance', () => {
    const raw = aucOf({ standardize: false });
    const std = aucOf({});
    expect(raw).toBeLessThan(0.6);
    expect(std).toBeGreaterThan(0.7);
    expect(std - raw).toBeGreaterThan(0.15);
  });

  it('on sorted log-probabilities it separates them too, with or without one classifier per class', () => {
    expect(aucOf({ features: 'log_sorted' })).toBeGreaterThan(0.7);
    expect(aucOf({ features: 'log_sorted', perClass: false })).toBeGreaterThan(0.7);
  });

  it('is deterministic', () => {
    const a = shadowModelAttack(ctx, 's', opts({ features: 'log_sorted' }));
    expect(Array.from(shadowModelAttack(ctx, 's', opts({ features: 'log_sorted' })))).toEqual(Array.from(a));
  });
});

describe('standardisation and log-probabilities', () => {
  it('scales each feature to mean 0 and deviation 1 over its rows; a constant one is only centred', () => {
    const x = [Float64Array.from([1, 5]), Float64Array.from([3, 5]), Float64Array.from([5, 5])];
    const t = fitStandardizer(x);
    const z = x.map(t);
    expect(z.map((v) => v[0])).toEqual([-Math.sqrt(1.5), 0, Math.sqrt(1.5)]);
    expect(z.map((v) => v[1])).toEqual([0, 0, 0]);
    expect(Array.from(t(Float64Array.from([7, 6])))).toEqual([2 * Math.sqrt(1.5), 1]);
  });

  it('keeps the log of a top probability that rounds to 1 and agrees with log(softmax) elsewhere', () => {
    const s = { logits: Float64Array.from([40, 0, -2, 1, 0.5, 0]), classes: 3 };
    const lp = logProbabilities(s, 0);
    expect(lp[0]).toBeLessThan(0);
    expect(lp[0]).toBeCloseTo(-(Math.exp(-40) + Math.exp(-42)), 30);
    expect(Math.log(probabilities(s, 0)[0]!)).toBe(0);
    const p = probabilities(s, 1);
    logProbabilities(s, 1).forEach((v, i) => expect(v).toBeCloseTo(Math.log(p[i]!), 12));
  });
});

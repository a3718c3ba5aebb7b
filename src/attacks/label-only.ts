/**
 * Label-only attacks (Choquette-Choo et al. 2021): only the target's predicted labels are used.
 * - gap: score 1 if the prediction on the record is correct, else 0 (Yeom's gap attack).
 * - augmentation / noise: the record's augmented (or noisy) copies are queried; the feature vector
 *   is "is the prediction on copy j correct". Without shadows the score is the fraction of copies
 *   classified correctly (a threshold on the count); with shadows, a logistic regression fitted on
 *   the shadow models' in/out feature vectors gives the score.
 */
import { AttackInputError, type AttackContext, type AugmentedSignals } from './context.js';
import { fitLogistic, predictLogistic } from './fit/logistic.js';
import { predictedLabel } from './signals.js';

export function correctness(a: AugmentedSignals, r: number, y: number): Float64Array {
  return Float64Array.from({ length: a.copies }, (_, q) => (predictedLabel(a.signals, q * a.n + r) === y ? 1 : 0));
}

export function labelOnlyAttack(
  ctx: AttackContext,
  method: 'gap' | 'augmentation' | 'noise',
  shadowsName: string | null,
): Float64Array {
  if (method === 'gap')
    return Float64Array.from(ctx.candidates, (r) => (predictedLabel(ctx.target, r) === ctx.labels[r] ? 1 : 0));
  const aug = ctx.augmented;
  if (!aug)
    throw new AttackInputError(`The label-only ${method} attack needs the target's answers on augmented copies.`);
  const target = (r: number): Float64Array => correctness(aug.target, r, ctx.labels[r]!);
  if (shadowsName === null) {
    return Float64Array.from(ctx.candidates, (r) => {
      const c = target(r);
      return c.reduce((s, v) => s + v, 0) / c.length;
    });
  }
  const shadows = ctx.shadows.get(shadowsName);
  const shadowAug = aug.shadows.get(shadowsName);
  if (!shadows || !shadowAug)
    throw new AttackInputError(`The label-only attack needs the augmented queries of shadows "${shadowsName}".`);
  const x: Float64Array[] = [],
    y: number[] = [];
  shadows.forEach((sh, k) => {
    for (const r of sh.inIdx) {
      x.push(correctness(shadowAug[k]!, r, ctx.labels[r]!));
      y.push(1);
    }
    for (const r of sh.outIdx) {
      x.push(correctness(shadowAug[k]!, r, ctx.labels[r]!));
      y.push(0);
    }
  });
  const m = fitLogistic(x, y);
  return Float64Array.from(ctx.candidates, (r) => predictLogistic(m, target(r)));
}

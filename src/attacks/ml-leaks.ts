/**
 * ML-Leaks, adversary 1 (Salem et al. 2019): a single shadow model; the features are its top-k
 * (k = 3) sorted posteriors; one attack classifier for all classes (an MLP, as in the paper), trained
 * on the shadow's training (in) and held-out (out) records. When the set holds several models, the
 * first is the one shadow model.
 */
import { AttackInputError, type AttackContext } from './context.js';
import { fitClassifier } from './fit/classifier.js';
import { probabilities, sortedDesc, type ModelSignals } from './signals.js';

const topK = (s: ModelSignals, r: number, k: number): Float64Array => sortedDesc(probabilities(s, r)).slice(0, k);

export function mlLeaksAttack(ctx: AttackContext, shadowsName: string, top: number, seed: number): Float64Array {
  const sh = ctx.shadows.get(shadowsName)?.[0];
  if (!sh) throw new AttackInputError(`ML-Leaks needs a shadow model from "${shadowsName}".`);
  const k = Math.min(top, ctx.classes);
  const x: Float64Array[] = [],
    y: number[] = [];
  for (const r of sh.inIdx) {
    x.push(topK(sh.signals, r, k));
    y.push(1);
  }
  for (const r of sh.outIdx) {
    x.push(topK(sh.signals, r, k));
    y.push(0);
  }
  const predict = fitClassifier('mlp', x, y, seed);
  return Float64Array.from(ctx.candidates, (r) => predict(topK(ctx.target, r, k)));
}

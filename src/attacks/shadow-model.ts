/**
 * The shadow-model attack (Shokri et al. 2017): shadow models trained like the target; their
 * training records are labelled "in", their held-out records "out"; one logistic-regression attack
 * classifier per class (or one for all, with the label one-hot as extra features) on the sorted
 * posterior vector. A target record's score is its classifier's probability of "in".
 */
import type { AttackContext } from './context.js';
import { AttackInputError } from './context.js';
import { fitLogistic, predictLogistic, type LogisticModel } from './fit/logistic.js';
import { probabilities, sortedDesc, type ModelSignals } from './signals.js';

function features(s: ModelSignals, r: number, y: number, classes: number, perClass: boolean): Float64Array {
  const sorted = sortedDesc(probabilities(s, r));
  if (perClass) return sorted;
  const f = new Float64Array(sorted.length + classes);
  f.set(sorted);
  f[sorted.length + y] = 1;
  return f;
}

export function shadowModelAttack(ctx: AttackContext, shadowsName: string, perClass: boolean): Float64Array {
  const shadows = ctx.shadows.get(shadowsName);
  if (!shadows || shadows.length === 0) throw new AttackInputError(`The shadow-model attack needs the shadow models "${shadowsName}".`);
  const groups = perClass ? ctx.classes : 1;
  const xs: Float64Array[][] = Array.from({ length: groups }, () => []);
  const ys: number[][] = Array.from({ length: groups }, () => []);
  for (const sh of shadows) {
    for (const [idx, lab] of [[sh.inIdx, 1], [sh.outIdx, 0]] as const) {
      for (const r of idx) {
        const y = ctx.labels[r]!;
        const g = perClass ? y : 0;
        xs[g]!.push(features(sh.signals, r, y, ctx.classes, perClass));
        ys[g]!.push(lab);
      }
    }
  }
  const models: (LogisticModel | null)[] = xs.map((x, g) => (x.length > 0 ? fitLogistic(x, ys[g]!) : null));
  return Float64Array.from(ctx.candidates, (r) => {
    const y = ctx.labels[r]!;
    const m = models[perClass ? y : 0];
    // A class no shadow record had: no evidence either way.
    return m ? predictLogistic(m, features(ctx.target, r, y, ctx.classes, perClass)) : 0.5;
  });
}

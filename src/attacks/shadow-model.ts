/**
 * The shadow-model attack (Shokri et al. 2017): shadow models trained like the target; their
 * training records are labelled "in", their held-out records "out"; one attack classifier per class
 * (or one for all, with the label one-hot as extra features, as the original thesis code did) on the
 * posterior vector, sorted in decreasing order or in class order ("full"). The classifier is a
 * logistic regression or a small MLP. A target record's score is its classifier's probability of "in".
 */
import type { AttackContext } from './context.js';
import { AttackInputError } from './context.js';
import { fitClassifier, type ClassifierKind, type Predict } from './fit/classifier.js';
import { probabilities, sortedDesc, type ModelSignals } from './signals.js';

export interface ShadowModelOptions {
  perClass: boolean;
  classifier: ClassifierKind;
  features: 'sorted' | 'full';
  seed: number;
}

function features(s: ModelSignals, r: number, y: number, classes: number, o: ShadowModelOptions): Float64Array {
  const p = probabilities(s, r);
  const post = o.features === 'sorted' ? sortedDesc(p) : p;
  if (o.perClass) return post;
  const f = new Float64Array(post.length + classes);
  f.set(post);
  f[post.length + y] = 1;
  return f;
}

export function shadowModelAttack(ctx: AttackContext, shadowsName: string, o: ShadowModelOptions): Float64Array {
  const shadows = ctx.shadows.get(shadowsName);
  if (!shadows || shadows.length === 0)
    throw new AttackInputError(`The shadow-model attack needs the shadow models "${shadowsName}".`);
  const groups = o.perClass ? ctx.classes : 1;
  const xs: Float64Array[][] = Array.from({ length: groups }, () => []);
  const ys: number[][] = Array.from({ length: groups }, () => []);
  for (const sh of shadows) {
    for (const [idx, lab] of [
      [sh.inIdx, 1],
      [sh.outIdx, 0],
    ] as const) {
      for (const r of idx) {
        const y = ctx.labels[r]!;
        const g = o.perClass ? y : 0;
        xs[g]!.push(features(sh.signals, r, y, ctx.classes, o));
        ys[g]!.push(lab);
      }
    }
  }
  const models: (Predict | null)[] = xs.map((x, g) =>
    x.length > 0 ? fitClassifier(o.classifier, x, ys[g]!, o.seed + g) : null,
  );
  return Float64Array.from(ctx.candidates, (r) => {
    const y = ctx.labels[r]!;
    const m = models[o.perClass ? y : 0];
    // A class no shadow record had: no evidence either way.
    return m ? m(features(ctx.target, r, y, ctx.classes, o)) : 0.5;
  });
}

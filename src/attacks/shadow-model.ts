/**
 * The shadow-model attack (Shokri et al. 2017): shadow models trained like the target; their
 * training records are labelled "in", their held-out records "out"; one attack classifier per class
 * (or one for all, with the label one-hot as extra features, as the original thesis code did) on the
 * posterior vector, sorted in decreasing order or in class order ("full"), or on its sorted logarithms
 * ("log_sorted"). The classifier is a logistic regression or a small MLP, on inputs standardised over
 * its training rows (each feature to mean 0 and deviation 1, as a scikit-learn pipeline's
 * StandardScaler would) unless `standardize` is off. A target record's score is its classifier's
 * probability of "in".
 */
import type { AttackContext } from './context.js';
import { AttackInputError } from './context.js';
import { fitClassifier, type ClassifierKind, type Predict } from './fit/classifier.js';
import { fitStandardizer } from './fit/standardize.js';
import { logProbabilities, probabilities, sortedDesc, type ModelSignals } from './signals.js';

export type ShadowFeatures = 'sorted' | 'full' | 'log_sorted';

export interface ShadowModelOptions {
  perClass: boolean;
  classifier: ClassifierKind;
  features: ShadowFeatures;
  standardize: boolean;
  seed: number;
}

/**
 * The least log-probability fed to the classifier: a class a target hides (top-k, labels only) has
 * −Infinity, which no classifier can weigh; e^−100 is below anything a float32 softmax resolves.
 */
export const LOG_FLOOR = -100;

function posterior(s: ModelSignals, r: number, f: ShadowFeatures): Float64Array {
  if (f === 'full') return probabilities(s, r);
  if (f === 'sorted') return sortedDesc(probabilities(s, r));
  return sortedDesc(logProbabilities(s, r).map((v) => Math.max(v, LOG_FLOOR)));
}

function features(s: ModelSignals, r: number, y: number, classes: number, o: ShadowModelOptions): Float64Array {
  const post = posterior(s, r, o.features);
  if (o.perClass) return post;
  const f = new Float64Array(post.length + classes);
  f.set(post);
  f[post.length + y] = 1;
  return f;
}

function fit(x: Float64Array[], y: number[], o: ShadowModelOptions, seed: number): Predict {
  if (!o.standardize) return fitClassifier(o.classifier, x, y, seed);
  const scale = fitStandardizer(x);
  const m = fitClassifier(o.classifier, x.map(scale), y, seed);
  return (v) => m(scale(v));
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
  const models: (Predict | null)[] = xs.map((x, g) => (x.length > 0 ? fit(x, ys[g]!, o, o.seed + g) : null));
  return Float64Array.from(ctx.candidates, (r) => {
    const y = ctx.labels[r]!;
    const m = models[o.perClass ? y : 0];
    // A class no shadow record had: no evidence either way.
    return m ? m(features(ctx.target, r, y, ctx.classes, o)) : 0.5;
  });
}

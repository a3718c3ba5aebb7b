/** The attack classifiers fitted on shadow data: logistic regression or a small MLP, behind one interface. */
import { fitLogistic, predictLogistic } from './logistic.js';
import { fitMlp, predictMlp } from './mlp.js';

export type ClassifierKind = 'logistic' | 'mlp';
export type Predict = (x: Float64Array) => number;

/** Fits a binary classifier (y in {0, 1}) and returns its probability of 1. */
export function fitClassifier(
  kind: ClassifierKind,
  x: readonly Float64Array[],
  y: ArrayLike<number>,
  seed: number,
): Predict {
  if (kind === 'logistic') {
    const m = fitLogistic(x as Float64Array[], y);
    return (v) => predictLogistic(m, v);
  }
  const m = fitMlp(x, y, { seed, epochs: 100 });
  return (v) => predictMlp(m, v);
}

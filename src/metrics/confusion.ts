/** The confusion matrix of one fixed threshold. */
import { classCounts } from './validate.js';

/** Counts and rates of the rule "score >= threshold predicts member". */
export interface PrecisionRecall {
  /** tp / (tp + fp); null when no record is predicted a member. */
  readonly precision: number | null;
  /** tp / (tp + fn), the TPR; null when there are no members. */
  readonly recall: number | null;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly trueNegatives: number;
  readonly falseNegatives: number;
}

/**
 * Precision, recall and the confusion counts of predicting member when `score >= threshold`.
 * The threshold may be ±Infinity (+Infinity predicts only records scored +Infinity).
 * @throws RangeError if the threshold or a score is NaN, a label is not 0/1, or the lengths differ.
 */
export function precisionRecallAt(
  scores: ArrayLike<number>,
  members: ArrayLike<number>,
  threshold: number,
): PrecisionRecall {
  if (Number.isNaN(threshold)) throw new RangeError('The threshold is NaN.');
  classCounts(scores, members);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i]! >= threshold;
    if (members[i] === 1) {
      if (predicted) tp++;
      else fn++;
    } else if (predicted) fp++;
    else tn++;
  }
  return {
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
  };
}

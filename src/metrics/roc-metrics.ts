/** Scalar summaries of a ROC curve. Each takes a `Roc` from `roc()`. */
import type { Roc } from './roc.js';
import { requireUnitInterval } from './validate.js';

/**
 * Area under the ROC by trapezoids. Over the exact ROC this equals the Mann–Whitney statistic
 * P(member score > non-member score) + ½ P(tie).
 */
export function auc(curve: Roc): number {
  const { fpr, tpr } = curve;
  let area = 0;
  for (let i = 1; i < fpr.length; i++) area += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
  return area;
}

/**
 * The highest TPR among ROC points with FPR <= `fpr` (no interpolation). Point (0, 0) always
 * qualifies, so the answer is 0 when no threshold reaches the level.
 * @throws RangeError unless `fpr` is in [0, 1].
 */
export function tprAtFpr(curve: Roc, fpr: number): number {
  requireUnitInterval(fpr, 'The FPR level');
  // FPR never decreases along a ROC, so the qualifying points are a prefix.
  let best = 0;
  for (let i = 0; i < curve.fpr.length && curve.fpr[i]! <= fpr; i++) {
    if (curve.tpr[i]! > best) best = curve.tpr[i]!;
  }
  return best;
}

/** The best balanced accuracy of any threshold: max over ROC points of (TPR + 1 − FPR) / 2. */
export function balancedAccuracy(curve: Roc): number {
  const i = bestIndex(curve);
  return (curve.tpr[i]! + 1 - curve.fpr[i]!) / 2;
}

/** The membership advantage (Yeom et al.): max over ROC points of TPR − FPR; at least 0. */
export function advantage(curve: Roc): number {
  const i = bestIndex(curve);
  return curve.tpr[i]! - curve.fpr[i]!;
}

/**
 * The threshold of best balanced accuracy: predicting member when `score >= threshold` achieves
 * `balancedAccuracy(curve)`. It is always one of the scores (the +Infinity sentinel of point 0 is
 * never chosen: its balanced accuracy 0.5 is matched by the last point, which predicts everyone).
 * Among equally good thresholds, the highest (fewest predicted members) wins.
 */
export function thresholdAt(curve: Roc): number {
  return curve.thresholds[bestIndex(curve)]!;
}

/**
 * Differences in TPR − FPR below this are float rounding, not a better point: the rounding of
 * tp/P − fp/N is a few 1e-16, while two truly different points differ by at least 1/(P·N), more than
 * 1e-15 for up to ten million records of each class. Without it, ties would be broken by noise.
 */
const TIE_TOLERANCE = 1e-15;

/** First ROC point after the sentinel maximising TPR − FPR (equivalently balanced accuracy). */
function bestIndex(curve: Roc): number {
  const { fpr, tpr } = curve;
  if (fpr.length < 2) throw new RangeError('A ROC needs at least one point after (0, 0).');
  let best = 1;
  let bestGap = tpr[1]! - fpr[1]!;
  for (let i = 2; i < fpr.length; i++) {
    const gap = tpr[i]! - fpr[i]!;
    if (gap > bestGap + TIE_TOLERANCE) {
      best = i;
      bestGap = gap;
    }
  }
  return best;
}

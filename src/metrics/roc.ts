/**
 * The exact ROC curve of a membership score, as scikit-learn's
 * `roc_curve(members, scores, drop_intermediate=False)`.
 */
import { requireBothClasses } from './validate.js';

/**
 * A ROC curve. Point 0 is (0, 0) with threshold +Infinity, a sentinel meaning "nobody is predicted a
 * member". Every later point i is the rates of the rule `score >= thresholds[i]`, one point per
 * distinct score, thresholds strictly decreasing; the last point is (1, 1) at the lowest score.
 * (If some score is +Infinity, thresholds[1] is +Infinity too, as in scikit-learn.)
 */
export interface Roc {
  readonly fpr: number[];
  readonly tpr: number[];
  readonly thresholds: number[];
}

/** The distinct scores of a sample and which of them each record has. */
export interface ScoreGroups {
  /** Distinct scores, strictly decreasing; -0 is counted as 0. */
  readonly values: Float64Array;
  /** groupOf[i] is the index in `values` of record i's score. */
  readonly groupOf: Uint32Array;
}

/** Groups the records by distinct score in O(n log n). Scores must not be NaN (not checked here). */
export function groupScores(scores: ArrayLike<number>): ScoreGroups {
  const n = scores.length;
  const sorted = new Float64Array(n);
  // `+ 0` turns -0 into 0: a typed-array sort puts -0 before 0, but they are the same threshold.
  for (let i = 0; i < n; i++) sorted[i] = scores[i]! + 0;
  sorted.sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const values = new Float64Array(distinct);
  let k = distinct;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) values[--k] = sorted[i]!;
  const groupOf = new Uint32Array(n);
  for (let i = 0; i < n; i++) groupOf[i] = findDescending(values, scores[i]! + 0);
  return { values, groupOf };
}

/** Index of `x` in a strictly decreasing array that contains it. */
function findDescending(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! > x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Builds a ROC from per-group counts: memberCounts[g] members and nonMemberCounts[g] non-members
 * scored values[g]. Groups with no records give no point. The totals must be positive.
 */
export function rocFromGroupCounts(
  values: Float64Array,
  memberCounts: ArrayLike<number>,
  nonMemberCounts: ArrayLike<number>,
  totalMembers: number,
  totalNonMembers: number,
): Roc {
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  let tp = 0;
  let fp = 0;
  for (let g = 0; g < values.length; g++) {
    const dp = memberCounts[g]!;
    const dn = nonMemberCounts[g]!;
    if (dp === 0 && dn === 0) continue;
    tp += dp;
    fp += dn;
    // Rates as count / total: a correctly rounded division, so e.g. 1/1000 is exactly 0.001.
    fpr.push(fp / totalNonMembers);
    tpr.push(tp / totalMembers);
    thresholds.push(values[g]!);
  }
  return { fpr, tpr, thresholds };
}

/**
 * The ROC over every distinct score, ties moving together, in O(n log n).
 * @param scores one score per record, higher = more likely a member; ±Infinity allowed.
 * @param members 1 for a member, 0 for a non-member.
 * @throws RangeError if a score is NaN (naming its index), a label is not 0/1, the lengths differ,
 *   or either class is absent (a ROC needs both).
 */
export function roc(scores: ArrayLike<number>, members: ArrayLike<number>): Roc {
  const counts = requireBothClasses(scores, members);
  const { values, groupOf } = groupScores(scores);
  const memberCounts = new Uint32Array(values.length);
  const nonMemberCounts = new Uint32Array(values.length);
  for (let i = 0; i < scores.length; i++) {
    if (members[i] === 1) memberCounts[groupOf[i]!]!++;
    else nonMemberCounts[groupOf[i]!]!++;
  }
  return rocFromGroupCounts(values, memberCounts, nonMemberCounts, counts.members, counts.nonMembers);
}

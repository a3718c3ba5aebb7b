/** Metrics per true class of the records: where a model leaks, class by class. */
import { summarize, type Summary } from './summarize.js';
import { classCounts, missingClassReason } from './validate.js';

/** A class label: a class index, or a name. */
export type ClassLabel = number | string;

interface ClassCommon<C extends ClassLabel> {
  readonly class: C;
  readonly members: number;
  readonly nonMembers: number;
}

/** One class's metrics, or why it has none (it lacks members or non-members). */
export type ClassMetrics<C extends ClassLabel = ClassLabel> =
  | (ClassCommon<C> & { readonly metrics: Summary; readonly reason: null })
  | (ClassCommon<C> & { readonly metrics: null; readonly reason: string });

export interface PerClassOptions {
  /** FPR levels for TPR at FPR; default as `summarize`. */
  readonly fprLevels?: readonly number[];
}

/**
 * `summarize` restricted to the records of each true class, classes in ascending order (numbers
 * numerically, then strings by code unit). A class with no members or no non-members gets
 * `metrics: null` and a sentence in `reason`. No bootstrap intervals: ask `summarize` per class.
 * @throws RangeError on invalid inputs (see `roc`), a NaN class, or lengths that differ.
 */
export function perClass<C extends ClassLabel>(
  scores: ArrayLike<number>,
  members: ArrayLike<number>,
  classes: ArrayLike<C>,
  options: PerClassOptions = {},
): ClassMetrics<C>[] {
  classCounts(scores, members);
  if (classes.length !== scores.length) {
    throw new RangeError(`Metric inputs disagree: ${scores.length} scores but ${classes.length} class labels.`);
  }
  const byClass = new Map<C, number[]>();
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i]!;
    if (typeof c === 'number' && Number.isNaN(c)) throw new RangeError(`Class label at index ${i} is NaN.`);
    const rows = byClass.get(c);
    if (rows === undefined) byClass.set(c, [i]);
    else rows.push(i);
  }
  const labels = [...byClass.keys()].sort(compareLabels);
  return labels.map((label): ClassMetrics<C> => {
    const rows = byClass.get(label) ?? [];
    const classScores = Float64Array.from(rows, (i) => scores[i]!);
    const classMembers = Uint8Array.from(rows, (i) => members[i]!);
    const counts = classCounts(classScores, classMembers);
    const common = { class: label, members: counts.members, nonMembers: counts.nonMembers };
    const reason = missingClassReason(counts, `Class ${JSON.stringify(label)}`);
    if (reason !== null) return { ...common, metrics: null, reason };
    return { ...common, metrics: summarize(classScores, classMembers, options), reason: null };
  });
}

function compareLabels(a: ClassLabel, b: ClassLabel): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

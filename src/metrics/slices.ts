/**
 * Slices: an attack's metrics over each group of records (each true class; each value of a declared
 * column), with bootstrap intervals, and the slice that leaks most. A TPR level below 1/(non-members of
 * the slice) cannot be measured there: it is flagged (`tpr_at_zero_fp`), never a result.
 */
import { defaultResamples } from './bootstrap.js';
import { metricFlags } from './flags.js';
import { summarize, type Summary } from './summarize.js';
import { classCounts, missingClassReason } from './validate.js';

export interface SliceMetrics {
  /** What the records are grouped by: `class`, or a column's name. */
  by: string;
  /** The group's value: a class index, or a column's value. */
  value: number | string;
  members: number;
  nonMembers: number;
  /** Null (with a reason) when the slice lacks members or non-members. */
  metrics: Summary | null;
  reason: string | null;
}

/** The slice that leaks most: the highest AUC among the slices with metrics. */
export interface WorstSlice {
  by: string;
  value: number | string;
  auc: number;
}

const sameValue = (a: number | string, b: number | string): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;

/** The metrics of each value of `groups`, values ascending; `seedOf(value)` seeds its intervals. */
export function sliceMetrics(o: {
  by: string;
  score: ArrayLike<number>;
  member: ArrayLike<number>;
  groups: ArrayLike<number | string>;
  fprLevels: readonly number[];
  seedOf: (value: number | string) => number;
}): SliceMetrics[] {
  const rows = new Map<number | string, number[]>();
  for (let i = 0; i < o.groups.length; i++) {
    const g = o.groups[i]!;
    const list = rows.get(g);
    if (list) list.push(i);
    else rows.set(g, [i]);
  }
  return [...rows.keys()].sort(sameValue).map((value) => {
    const idx = rows.get(value)!;
    const score = Float64Array.from(idx, (i) => o.score[i]!);
    const member = Uint8Array.from(idx, (i) => o.member[i]!);
    const counts = classCounts(score, member);
    const common = { by: o.by, value, members: counts.members, nonMembers: counts.nonMembers };
    const reason = missingClassReason(counts, `The slice ${o.by} = ${JSON.stringify(value)}`);
    if (reason !== null) return { ...common, metrics: null, reason };
    const ci = { seed: o.seedOf(value), resamples: defaultResamples(score.length), level: 0.95 };
    const metrics = summarize(score, member, { fprLevels: o.fprLevels, ci });
    const flags = metricFlags(score, member, o.fprLevels);
    return { ...common, metrics: flags.length ? { ...metrics, flags } : metrics, reason: null };
  });
}

/** The slice with the highest AUC (the first such, in order); null when no slice has metrics. */
export function worstSlice(slices: readonly SliceMetrics[]): WorstSlice | null {
  let best: WorstSlice | null = null;
  for (const s of slices)
    if (s.metrics && (best === null || s.metrics.auc > best.auc))
      best = { by: s.by, value: s.value, auc: s.metrics.auc };
  return best;
}

/** Whether the slice's TPR at `level` is a measurement (at least 1/(non-members) and scores not constant). */
export function trustedTpr(s: SliceMetrics, level: string): boolean {
  const flags = s.metrics?.flags ?? [];
  return s.metrics !== null && !flags.some((f) => f.levels === undefined || f.levels.includes(level));
}

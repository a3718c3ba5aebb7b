/**
 * Percentile bootstrap confidence intervals, stratified: each resample draws as many members (with
 * replacement) from the members as there are, and likewise for non-members, so both classes are
 * always present and the class balance is fixed. Deterministic for a seed.
 */
import { makeRng, type Rng } from '../util/rng.js';
import type { Roc } from './roc.js';
import { sortedSample } from './sorted-sample.js';
import { requireBothClasses, requireUnitInterval } from './validate.js';

/** A confidence interval [lo, hi]. */
export type Interval = [lo: number, hi: number];

export interface BootstrapOptions {
  /** Number of resamples; default 1000. */
  readonly resamples?: number;
  /** Coverage of the interval, in (0, 1); default 0.95. */
  readonly level?: number;
  /** Seed of the resampling (see util/rng). */
  readonly seed: number;
}

/** A statistic of a sample; members[i] is 1 or 0. */
export type SampleStatistic = (scores: Float64Array, members: Uint8Array) => number;
/** A statistic of a sample's ROC. */
export type RocStatistic = (curve: Roc) => number;

/**
 * The percentile bootstrap interval of any statistic of (scores, members). Each resample puts its
 * members first, then its non-members.
 * @throws RangeError on invalid inputs or options, if either class is absent, or if the statistic
 *   returns NaN (a bug in the statistic).
 */
export function bootstrapCi(
  scores: ArrayLike<number>,
  members: ArrayLike<number>,
  statistic: SampleStatistic,
  options: BootstrapOptions,
): Interval {
  const plan = planResampling(scores, members, options);
  const n = plan.memberIndex.length + plan.nonMemberIndex.length;
  const sampleScores = new Float64Array(n);
  const sampleMembers = new Uint8Array(n);
  const values: number[] = [];
  for (let b = 0; b < plan.resamples; b++) {
    sampleMembers.fill(1, 0, plan.memberIndex.length).fill(0, plan.memberIndex.length);
    let k = 0;
    drawStratum(plan.rng, plan.memberIndex, (i) => {
      sampleScores[k++] = scores[i]!;
    });
    drawStratum(plan.rng, plan.nonMemberIndex, (i) => {
      sampleScores[k++] = scores[i]!;
    });
    values.push(checked(statistic(sampleScores, sampleMembers), b));
  }
  return percentileInterval(values, plan.level);
}

/**
 * Percentile bootstrap intervals of several ROC statistics at once, sharing the resamples. Equal,
 * resample for resample, to `bootstrapCi` with `(s, m) => statistic(roc(s, m))` and the same seed,
 * but each resample costs O(n) instead of a sort (see `SortedSample`).
 */
export function bootstrapRocCis(
  scores: ArrayLike<number>,
  members: ArrayLike<number>,
  statistics: readonly RocStatistic[],
  options: BootstrapOptions,
): Interval[] {
  const plan = planResampling(scores, members, options);
  const sample = sortedSample(scores, plan);
  const samples: number[][] = statistics.map(() => []);
  for (let b = 0; b < plan.resamples; b++) {
    sample.draw(plan.rng);
    const curve = sample.roc();
    statistics.forEach((statistic, s) => samples[s]!.push(checked(statistic(curve), b)));
  }
  return samples.map((xs) => percentileInterval(xs, plan.level));
}

/**
 * The intervals of the AUC and of the TPR at each FPR level: exactly `bootstrapRocCis` with `[auc,
 * ...levels.map((l) => (c) => tprAtFpr(c, l))]` (the same floating-point operations in the same order),
 * but each resample's statistics are accumulated in one pass over the sorted scores, building no ROC.
 * Returns [auc interval, ...one per level].
 */
export function bootstrapAucTprCis(
  scores: ArrayLike<number>,
  members: ArrayLike<number>,
  levels: readonly number[],
  options: BootstrapOptions,
): Interval[] {
  for (const level of levels) requireUnitInterval(level, 'The FPR level');
  const plan = planResampling(scores, members, options);
  const sample = sortedSample(scores, plan);
  const aucs = new Float64Array(plan.resamples);
  const tprs = levels.map(() => new Float64Array(plan.resamples));
  const best = new Float64Array(levels.length);
  for (let b = 0; b < plan.resamples; b++) {
    sample.draw(plan.rng);
    aucs[b] = checked(sample.aucAndTprs(levels, best), b);
    for (let l = 0; l < levels.length; l++) tprs[l]![b] = best[l]!;
  }
  return [aucs, ...tprs].map((xs) => percentileInterval(xs, plan.level));
}

/** Bootstrap interval of the AUC. */
export function aucCi(scores: ArrayLike<number>, members: ArrayLike<number>, options: BootstrapOptions): Interval {
  return bootstrapAucTprCis(scores, members, [], options)[0]!;
}

/** Bootstrap interval of the TPR at FPR level `fpr`. */
export function tprAtFprCi(
  scores: ArrayLike<number>,
  members: ArrayLike<number>,
  fpr: number,
  options: BootstrapOptions,
): Interval {
  return bootstrapAucTprCis(scores, members, [fpr], options)[1]!;
}

/**
 * The [(1 − level)/2, (1 + level)/2] quantiles of `values`, each by linear interpolation between
 * order statistics (numpy's default "linear" method). Does not modify `values`.
 */
export function percentileInterval(values: ArrayLike<number>, level: number): Interval {
  if (values.length === 0) throw new RangeError('No values to take percentiles of.');
  const sorted = Float64Array.from(values).sort();
  const alpha = (1 - level) / 2;
  return [quantile(sorted, alpha), quantile(sorted, 1 - alpha)];
}

function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  // Equal neighbours (including equal infinities, whose difference is NaN) need no interpolation.
  return a === b || h === lo ? a : a + (h - lo) * (b - a);
}

interface ResamplingPlan {
  readonly memberIndex: Uint32Array;
  readonly nonMemberIndex: Uint32Array;
  readonly resamples: number;
  readonly level: number;
  readonly rng: Rng;
}

function planResampling(
  scores: ArrayLike<number>,
  members: ArrayLike<number>,
  options: BootstrapOptions,
): ResamplingPlan {
  const counts = requireBothClasses(scores, members);
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`The number of resamples must be a positive integer, got ${String(resamples)}.`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`The level must be in (0, 1), got ${String(level)}.`);
  if (!Number.isFinite(options.seed)) throw new RangeError(`The seed must be a number, got ${String(options.seed)}.`);
  const memberIndex = new Uint32Array(counts.members);
  const nonMemberIndex = new Uint32Array(counts.nonMembers);
  let p = 0;
  let q = 0;
  for (let i = 0; i < members.length; i++) {
    if (members[i] === 1) memberIndex[p++] = i;
    else nonMemberIndex[q++] = i;
  }
  return { memberIndex, nonMemberIndex, resamples, level, rng: makeRng(options.seed) };
}

/**
 * The default number of resamples for n records: 1000 up to 20,000 records; above that fewer, so that
 * resamples × records stays about 2×10⁷ (the intervals of a 60,000-record audit take seconds, not
 * minutes), never fewer than 200.
 */
export function defaultResamples(n: number): number {
  return Math.max(200, Math.min(1000, Math.floor(2e7 / Math.max(1, n))));
}

/** Draws stratum.length records of the stratum with replacement, in order, calling `take` on each. */
function drawStratum(rng: Rng, stratum: Uint32Array, take: (index: number) => void): void {
  for (let j = 0; j < stratum.length; j++) take(stratum[rng.int(stratum.length)]!);
}

function checked(value: number, resample: number): number {
  if (Number.isNaN(value)) throw new RangeError(`The statistic returned NaN on resample ${resample}.`);
  return value;
}

/** The metrics block of results.json for one attack's scores. */
import { bootstrapAucTprCis, type Interval } from './bootstrap.js';
import { precisionRecallAt } from './confusion.js';
import { roc } from './roc.js';
import { advantage, auc, balancedAccuracy, thresholdAt, tprAtFpr } from './roc-metrics.js';
import type { MetricFlag } from './flags.js';
import { requireUnitInterval } from './validate.js';

/** The FPR levels reported by default: 0.1 %, 1 % and 10 %. */
export const DEFAULT_FPR_LEVELS: readonly number[] = [0.001, 0.01, 0.1];

/** Keyed by an FPR level written with String(level), e.g. "0.001". */
export type ByFprLevel<T> = Record<string, T>;

/** Exactly the metrics object of results.json. */
export interface Summary {
  auc: number;
  tprAtFpr: ByFprLevel<number>;
  balancedAccuracy: number;
  advantage: number;
  /** The threshold of best balanced accuracy (`score >= threshold` predicts member); may be ±Infinity. */
  threshold: number;
  /** Precision at `threshold`. */
  precision: number;
  /** Recall (TPR) at `threshold`. */
  recall: number;
  /**
   * Percentile bootstrap intervals; present only when asked for. `resamples` is there only when it is
   * not the default 1000 (above 20,000 records, see defaultResamples).
   */
  ci?: { auc: Interval; tprAtFpr: ByFprLevel<Interval>; resamples?: number };
  /** Figures not to be trusted and why (src/metrics/flags.ts); present only when there is one. */
  flags?: MetricFlag[];
}

export interface SummarizeOptions {
  /** FPR levels for TPR at FPR, each in [0, 1]; default DEFAULT_FPR_LEVELS. */
  readonly fprLevels?: readonly number[];
  /** Asks for bootstrap intervals (resamples default 1000, level default 0.95). */
  readonly ci?: { readonly resamples?: number; readonly seed: number; readonly level?: number };
}

/**
 * Every metric of results.json for one attack.
 * @throws RangeError on invalid inputs (see `roc`), including a sample lacking either class.
 */
export function summarize(
  scores: ArrayLike<number>,
  members: ArrayLike<number>,
  options: SummarizeOptions = {},
): Summary {
  const levels = options.fprLevels ?? DEFAULT_FPR_LEVELS;
  for (const level of levels) requireUnitInterval(level, 'The FPR level');
  const curve = roc(scores, members);
  const threshold = thresholdAt(curve);
  const at = precisionRecallAt(scores, members, threshold);
  // The threshold is a score, so someone is predicted a member; and members exist.
  if (at.precision === null || at.recall === null) throw new Error('Bug: no precision at the best threshold.');
  const summary: Summary = {
    auc: auc(curve),
    tprAtFpr: byLevel(levels, (level) => tprAtFpr(curve, level)),
    balancedAccuracy: balancedAccuracy(curve),
    advantage: advantage(curve),
    threshold,
    precision: at.precision,
    recall: at.recall,
  };
  if (options.ci !== undefined) {
    // The same numbers as bootstrapRocCis with [auc, ...levels.map((l) => (c) => tprAtFpr(c, l))], faster.
    const [aucInterval, ...tprIntervals] = bootstrapAucTprCis(scores, members, levels, options.ci);
    const resamples = options.ci.resamples ?? 1000;
    summary.ci = {
      auc: aucInterval!,
      tprAtFpr: byLevel(levels, (_, i) => tprIntervals[i]!),
      ...(resamples === 1000 ? {} : { resamples }),
    };
  }
  return summary;
}

function byLevel<T>(levels: readonly number[], value: (level: number, i: number) => T): ByFprLevel<T> {
  const out: ByFprLevel<T> = {};
  levels.forEach((level, i) => {
    out[String(level)] = value(level, i);
  });
  return out;
}

/**
 * Everything results.json says about one attack's scores: the summary metrics with bootstrap
 * intervals, and the per-class breakdown. Non-finite scores count as ±Number.MAX_VALUE (the order is
 * kept), exactly as results.json writes them, so the file's samples reproduce these numbers. Figures
 * not to be trusted (all scores equal or non-finite, TPR levels below 1/(non-members)) are flagged
 * here, for every attack (src/metrics/flags.ts).
 */
import { defaultResamples } from './bootstrap.js';
import { metricFlags } from './flags.js';
import { perClass, type ClassMetrics } from './per-class.js';
import { DEFAULT_FPR_LEVELS, summarize, type Summary } from './summarize.js';

export interface Evaluation {
  metrics: Summary;
  perClass: ClassMetrics<number>[];
}

export const finiteScore = (v: number): number =>
  Number.isFinite(v) ? v : v > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;

export function evaluateScores(o: {
  score: ArrayLike<number>;
  member: ArrayLike<number>;
  label: ArrayLike<number>;
  fprLevels: readonly number[];
  seed: number;
  resamples?: number;
}): Evaluation {
  const score = Array.from(o.score, finiteScore);
  const metrics = summarize(score, o.member, {
    fprLevels: o.fprLevels,
    ci: { seed: o.seed, resamples: o.resamples ?? defaultResamples(score.length), level: 0.95 },
  });
  const flags = metricFlags(o.score, o.member, o.fprLevels);
  return {
    metrics: flags.length ? { ...metrics, flags } : metrics,
    perClass: perClass(score, o.member, o.label, { fprLevels: o.fprLevels }),
  };
}

/** The FPR levels of results.json: 0.1 %, 1 %, 10 % and any the report asks for, ascending. */
export const fprLevelsFor = (extra: readonly number[]): number[] =>
  [...new Set([...DEFAULT_FPR_LEVELS, ...extra])].sort((a, b) => a - b);

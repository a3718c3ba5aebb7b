/**
 * Metrics of membership inference: ROC, AUC, TPR at fixed FPR, balanced accuracy, advantage,
 * bootstrap confidence intervals, per-class metrics, and overfitting measures.
 * Scores are higher = more likely a member; membership labels are 1 (member) or 0 (non-member).
 */
export { roc, type Roc } from './roc.js';
export { auc, tprAtFpr, balancedAccuracy, advantage, thresholdAt } from './roc-metrics.js';
export { precisionRecallAt, type PrecisionRecall } from './confusion.js';
export {
  bootstrapCi,
  bootstrapRocCis,
  bootstrapAucTprCis,
  aucCi,
  tprAtFprCi,
  percentileInterval,
  type BootstrapOptions,
  type Interval,
  type RocStatistic,
  type SampleStatistic,
} from './bootstrap.js';
export { perClass, type ClassLabel, type ClassMetrics, type PerClassOptions } from './per-class.js';
export { vulnerability, generalizationGap, type VulnerabilityInputs } from './generalization.js';
export {
  summarize,
  DEFAULT_FPR_LEVELS,
  type ByFprLevel,
  type Summary,
  type SummarizeOptions,
} from './summarize.js';
export { metricFlags, type FlagReason, type MetricFlag } from './flags.js';
export { parseMetricName, formatMetricName, type MetricName } from './metric-name.js';
export { classCounts, missingClassReason, type ClassCounts } from './validate.js';
export { evaluateScores, finiteScore, fprLevelsFor, type Evaluation } from './evaluate.js';
export {
  logNormalCdf,
  logNormalPdf,
  mean,
  median,
  normalCdf,
  normalQuantile,
  std,
  trimmedMean,
} from './normal-tails.js';
export { privacyRisk, scoreRanks, scoreBins, riskBins, DEFAULT_PRIOR } from './risk.js';
export { sliceMetrics, worstSlice, trustedTpr, type SliceMetrics, type WorstSlice } from './slices.js';

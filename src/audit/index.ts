/** ε lower bounds from canary scores (privacy auditing): one file per method, listed here. */
import { clopperPearson } from './clopper-pearson.js';
import { auditWith } from './cuts.js';
import { gdp } from './gdp.js';
import { oneRun } from './one-run.js';
import { oneRunFdp } from './one-run-fdp.js';
import type { AuditMethod, AuditOptions, AuditResult, CanaryScores } from './types.js';

export const AUDIT_METHODS: readonly AuditMethod[] = [clopperPearson, oneRun, oneRunFdp, gdp];

export const DEFAULT_AUDIT_OPTIONS: AuditOptions = { delta: 1e-5, confidence: 0.95, threshold: { kind: 'bonferroni' } };

/** The methods that have a form at this δ: all for δ > 0, those with a pure-DP form for δ = 0. */
export const methodsAt = (delta: number): AuditMethod[] => AUDIT_METHODS.filter((m) => delta > 0 || !m.noPureDp);

/**
 * ε̂ by every method that has a form at the options' δ (or those named), in the order of AUDIT_METHODS.
 * Throws AuditInputError on bad input, and for a named method without a form at δ = 0.
 */
export function auditScores(
  scores: CanaryScores,
  options: Partial<AuditOptions> = {},
  methods?: readonly string[],
): AuditResult[] {
  const o = { ...DEFAULT_AUDIT_OPTIONS, ...options };
  methods ??= methodsAt(o.delta).map((m) => m.name);
  return AUDIT_METHODS.filter((m) => methods.includes(m.name)).map((m) => auditWith(m, scores, o));
}

export * from './types.js';
export { AuditInputError, allCuts, auditWith, cutAt, splitHalves } from './cuts.js';
export { gdpEpsilon, gdpLogDelta, gdpMu } from './gaussian-dp.js';
export { oneRunEpsilon, oneRunPValue } from './one-run.js';
export { fdpMu, fdpRejects } from './one-run-fdp.js';
export * from './beta-binomial.js';

/**
 * Figures not to be trusted, said as such beside them (results.json `metrics.flags`, present only when
 * there is one): every score of an attack equal, or non-finite, gives AUC 0.5 by construction, not a
 * measurement; a NaN score has no place in the order; and a TPR at an FPR level below 1/(non-members)
 * allows no false positive at all, so it is TPR at zero false positives. Infinite scores among finite
 * ones are not flagged: they are ordered (a release that hides the true class gives an infinite loss),
 * tied with each other.
 */

export type FlagReason = 'scores_non_finite' | 'scores_nan' | 'scores_constant' | 'tpr_at_zero_fp';

export interface MetricFlag {
  /** Machine-readable: what makes the figures untrustworthy. */
  reason: FlagReason;
  /** One sentence for a reader. */
  message: string;
  /** tpr_at_zero_fp: the FPR levels concerned, as keys of `tprAtFpr`; absent: every figure of the attack. */
  levels?: string[];
}

const pct = (v: number): string => `${+(v * 100).toPrecision(6)}%`;

/** Flags of the attack's own scores: all non-finite, some NaN, all equal. */
function scoreFlag(raw: ArrayLike<number>): MetricFlag | null {
  const n = raw.length;
  let nan = 0;
  let nonFinite = 0;
  let distinct = false;
  for (let i = 0; i < n; i++) {
    const v = raw[i]!;
    if (Number.isNaN(v)) nan++;
    if (!Number.isFinite(v)) nonFinite++;
    if (i > 0 && !Object.is(v, raw[0]!)) distinct = true;
  }
  if (n > 0 && nonFinite === n)
    return {
      reason: 'scores_non_finite',
      message: `Every score is non-finite (${nan === n ? 'NaN' : nan ? 'NaN or infinite' : 'infinite'}): the metrics are those of a constant score, chance by construction, not a measurement.`,
    };
  if (nan > 0)
    return {
      reason: 'scores_nan',
      message: `${nan} of ${n} scores are NaN (not a number), which has no place in the order: they are ranked lowest, and the metrics cannot be trusted.`,
    };
  if (n > 0 && !distinct)
    return {
      reason: 'scores_constant',
      message: `Every score is ${+raw[0]!.toPrecision(6)}: the attack tells no record from another, so its metrics are chance by construction, not a measurement.`,
    };
  return null;
}

/** Every flag of one attack's metrics (empty: nothing to say). */
export function metricFlags(
  raw: ArrayLike<number>,
  member: ArrayLike<number>,
  levels: readonly number[],
): MetricFlag[] {
  const out: MetricFlag[] = [];
  const s = scoreFlag(raw);
  if (s) out.push(s);
  let nonmembers = 0;
  for (let i = 0; i < member.length; i++) if (!member[i]) nonmembers++;
  const low = nonmembers > 0 ? levels.filter((l) => l * nonmembers < 1 - 1e-9) : [];
  if (low.length)
    out.push({
      reason: 'tpr_at_zero_fp',
      message: `With ${nonmembers} non-members the smallest false-positive rate above 0 is 1/${nonmembers} = ${pct(1 / nonmembers)}: TPR at ${low.map(pct).join(', ')} is TPR at zero false positives.`,
      levels: low.map(String),
    });
  return out;
}

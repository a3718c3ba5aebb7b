/**
 * RMIA, the relative membership inference attack (Zarifzadeh et al. 2024). Pr(x|θ) is the target's
 * p_y on x; Pr(x) averages p_y over the reference models: online, over all of them (IN and OUT);
 * offline (OUT models only), Pr(x) ≈ ½((1 + a)·Pr_OUT(x) + (1 − a)), the paper's linear correction
 * for the missing IN models. With population records z (never candidates), the likelihood ratio
 * LR(x, z) = (Pr(x|θ) / Pr(x)) / (Pr(z|θ) / Pr(z)), and the score of x is the fraction of z with
 * LR(x, z) ≥ γ. Pr(z) is computed the same way as Pr(x) (a reference model trained on z counts as
 * IN for z).
 * With `trim` > 0, Pr(x) and Pr(z) average the models' p_y after cutting ⌊trim·n⌋ of the lowest and as
 * many of the highest of the n usable values (scipy's trim_mean): the paper's code (ML Privacy Meter,
 * research/2024_rmia/main.py) uses trim 0.2; the paper's text, and mia by default, the plain mean.
 */
import { AttackInputError, type AttackContext } from './context.js';
import { inMasks } from './membership.js';
import { confidenceOf } from './signals.js';
import { trimmedMean } from '../metrics/normal-tails.js';

export interface RmiaOptions {
  mode: 'online' | 'offline';
  a: number;
  gamma: number;
  /** The proportion of the usable models' p_y cut from each end before averaging (0: the plain mean). */
  trim?: number;
}

/** p_y of each record under the target and each reference model, and the IN masks. */
export interface RmiaSignals {
  target: Float64Array;
  refs: Float64Array[];
  isIn: Uint8Array[];
}

/** Pr(x|θ) / Pr(x) of every record. */
export function rmiaRatios(sig: RmiaSignals, opts: RmiaOptions): Float64Array {
  const n = sig.target.length;
  const values: number[] = [];
  return Float64Array.from({ length: n }, (_, i) => {
    values.length = 0;
    for (let k = 0; k < sig.refs.length; k++) {
      if (opts.mode === 'offline' && sig.isIn[k]![i]) continue;
      values.push(sig.refs[k]![i]!);
    }
    if (values.length === 0)
      throw new AttackInputError(`RMIA (${opts.mode}) has no usable reference model for record #${i}.`);
    const pOut = trimmedMean(values, opts.trim ?? 0);
    // A floor keeps the ratio defined where every reference gives p_y = 0 (possible from supplied losses).
    const px = Math.max(opts.mode === 'offline' ? 0.5 * ((1 + opts.a) * pOut + (1 - opts.a)) : pOut, Number.MIN_VALUE);
    return sig.target[i]! / px;
  });
}

/** Scores: for each candidate ratio r_x, the fraction of population ratios r_z with r_x / r_z ≥ γ. */
export function rmiaScores(candidates: RmiaSignals, population: RmiaSignals, opts: RmiaOptions): Float64Array {
  const rx = rmiaRatios(candidates, opts);
  const rz = rmiaRatios(population, opts).sort();
  if (rz.length === 0) throw new AttackInputError('RMIA needs population records z.');
  // r_x / r_z ≥ γ  ⇔  r_z ≤ r_x / γ (ratios are positive): count by binary search.
  return rx.map((r) => upperBound(rz, r / opts.gamma) / rz.length);
}

/** The number of sorted values ≤ v. */
export function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function rmiaAttack(ctx: AttackContext, shadowsName: string, opts: RmiaOptions): Float64Array {
  const refs = ctx.shadows.get(shadowsName);
  if (!refs || refs.length === 0) throw new AttackInputError(`RMIA needs the reference models "${shadowsName}".`);
  if (!ctx.population || ctx.population.length === 0) throw new AttackInputError('RMIA needs population records z.');
  const of = (records: readonly number[]): RmiaSignals => ({
    target: Float64Array.from(records, (r) => confidenceOf(ctx.target, r, ctx.labels[r]!)),
    refs: refs.map((m) => Float64Array.from(records, (r) => confidenceOf(m.signals, r, ctx.labels[r]!))),
    isIn: inMasks(refs, records),
  });
  // Offline, Pr(z) comes from the models z is OUT of, like Pr(x): a population record in the training set
  // of every reference model (likely with one or two overlapping shadows) cannot serve as z and is left out.
  const isIn = inMasks(refs, ctx.population);
  const usable = ctx.population.filter((_, j) => opts.mode === 'online' || isIn.some((m) => m[j] === 0));
  if (usable.length === 0)
    throw new AttackInputError(
      `RMIA (offline) has no usable population record: each is in the training set of every reference model of "${shadowsName}". Use more reference models or a population outside their pool.`,
    );
  return rmiaScores(of(ctx.candidates), of(usable), opts);
}

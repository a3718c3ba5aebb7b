/**
 * LiRA, the likelihood-ratio attack (Carlini et al. 2022). For each record, φ = log(p_y / (1 − p_y))
 * under the target and under each reference model; IN models trained on the record, OUT models did not.
 * - online: fit N(μ_in, σ_in²) and N(μ_out, σ_out²); score = log N(φ_t; μ_in, σ_in²) − log N(φ_t; μ_out, σ_out²).
 * - offline: a one-sided test against OUT only, on z = (φ_t − μ_out) / σ_out; the score is the
 *   log-odds log Φ(z) − log Φ(−z), monotone in z like log Φ(z) (the same ROC) but never saturating:
 *   log Φ(z) rounds to exactly 0 past z ≈ 38, tying the most member-like records.
 * μ is the per-record mean over models (the paper's text), or with `centre: 'median'` their median (what
 * the reference code, tensorflow/privacy research/mi_lira_2021/plot.py, does); σ the per-record standard
 * deviation about the mean either way (numpy's np.std, as the reference code; +1e-9 so one model or
 * equal values stay finite), or with `fixedVariance` one σ for all records: the standard deviation of
 * all OUT values together for σ_out and of all IN values together for σ_in (offline the reference
 * code does the same; online it takes both from the IN values).
 * With augmented queries (copies), each copy is scored on its own and the scores are averaged.
 */
import { AttackInputError, type AttackContext, type AugmentedSignals, type ReferenceModel } from './context.js';
import { inMasks } from './membership.js';
import { logitConfidence, type ModelSignals } from './signals.js';
import { logNormalCdf, logNormalPdf, median } from '../metrics/normal-tails.js';

export interface LiraOptions {
  mode: 'online' | 'offline';
  fixedVariance: boolean;
  /** μ_in and μ_out: the mean of the models' values (default) or their median (the reference code). */
  centre?: 'mean' | 'median';
}

/**
 * φ of every record of one copy: `target[i]`, `refs[m][i]`; `isIn[m][i]` = 1 if model m trained on
 * record i. Returns one score per record.
 */
export interface LiraSignals {
  target: Float64Array;
  refs: Float64Array[];
  isIn: Uint8Array[];
}

const EPS = 1e-9;

/** Non-finite φ (a release that rounds p_y to exactly 0 or 1) is clipped as p to [1e-12, 1 − 1e-12]. */
const PHI_CLIP = Math.log((1 - 1e-12) / 1e-12);
export const clipPhi = (phi: number): number => (Number.isFinite(phi) ? phi : phi > 0 ? PHI_CLIP : -PHI_CLIP);

export function liraScores(sig: LiraSignals, opts: LiraOptions): Float64Array {
  const n = sig.target.length;
  const m = sig.refs.length;
  for (let i = 0; i < n; i++) {
    let ins = 0;
    for (let k = 0; k < m; k++) ins += sig.isIn[k]![i] ? 1 : 0;
    if (ins === m)
      throw new AttackInputError(
        `LiRA needs at least one OUT reference model for every record; record #${i} was in the training set of all ${m}.`,
      );
    if (opts.mode === 'online' && ins === 0) {
      throw new AttackInputError(
        `Online LiRA needs IN reference models for every candidate; record #${i} is in the training set of none of the ${m}. Sample the shadows "half" from a pool that covers the target's members and non-members (e.g. pool digits), or use mode: offline.`,
      );
    }
  }
  // Per record, the mean and deviation of its IN (resp. OUT) values in model order, as mean() and std()
  // of that list; with fixedVariance, std() of all records' values in record-then-model order.
  const outStats = groupStats(sig, n, m, 0);
  const inStats = opts.mode === 'online' ? groupStats(sig, n, m, 1) : null;
  const sdOutAll = opts.fixedVariance ? pooledStd(sig, n, m, 0) + EPS : 0;
  const sdInAll = opts.fixedVariance && opts.mode === 'online' ? pooledStd(sig, n, m, 1) + EPS : 0;
  const byMedian = opts.centre === 'median'; // σ stays the deviation about the mean, as in the reference code
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const phi = sig.target[i]!;
    const muOut = byMedian ? medianOf(sig, i, m, 0) : outStats.mean[i]!;
    const sdOut = opts.fixedVariance ? sdOutAll : outStats.std[i]! + EPS;
    if (opts.mode === 'offline') {
      const z = (phi - muOut) / sdOut;
      scores[i] = logNormalCdf(z) - logNormalCdf(-z);
      continue;
    }
    const muIn = byMedian ? medianOf(sig, i, m, 1) : inStats!.mean[i]!;
    const sdIn = opts.fixedVariance ? sdInAll : inStats!.std[i]! + EPS;
    scores[i] = logNormalPdf(phi, muIn, sdIn) - logNormalPdf(phi, muOut, sdOut);
  }
  return scores;
}

/** Per record, mean() and std() of the values of the models whose isIn is `side`, in model order. */
function groupStats(sig: LiraSignals, n: number, m: number, side: 0 | 1): { mean: Float64Array; std: Float64Array } {
  const mu = new Float64Array(n);
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let count = 0;
    for (let k = 0; k < m; k++) {
      if ((sig.isIn[k]![i] ? 1 : 0) !== side) continue;
      s += sig.refs[k]![i]!;
      count++;
    }
    const mean = s / count;
    let s2 = 0;
    for (let k = 0; k < m; k++) {
      if ((sig.isIn[k]![i] ? 1 : 0) !== side) continue;
      const d = sig.refs[k]![i]! - mean;
      s2 += d * d;
    }
    mu[i] = mean;
    sd[i] = Math.sqrt(s2 / count);
  }
  return { mean: mu, std: sd };
}

/** The median of record i's values over the models whose isIn is `side`. */
function medianOf(sig: LiraSignals, i: number, m: number, side: 0 | 1): number {
  const xs: number[] = [];
  for (let k = 0; k < m; k++) if ((sig.isIn[k]![i] ? 1 : 0) === side) xs.push(sig.refs[k]![i]!);
  return median(xs);
}

/** std() of every record's `side` values together, listed record by record, each in model order. */
function pooledStd(sig: LiraSignals, n: number, m: number, side: 0 | 1): number {
  let s = 0;
  let count = 0;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < m; k++)
      if ((sig.isIn[k]![i] ? 1 : 0) === side) {
        s += sig.refs[k]![i]!;
        count++;
      }
  const mean = s / count;
  let s2 = 0;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < m; k++)
      if ((sig.isIn[k]![i] ? 1 : 0) === side) {
        const d = sig.refs[k]![i]! - mean;
        s2 += d * d;
      }
  return Math.sqrt(s2 / count);
}

/** The mean over copies of each copy's LiRA scores. */
export function liraScoresAveraged(copies: readonly LiraSignals[], opts: LiraOptions): Float64Array {
  const n = copies[0]!.target.length;
  const total = new Float64Array(n);
  for (const c of copies) {
    const s = liraScores(c, opts);
    for (let i = 0; i < n; i++) total[i]! += s[i]!;
  }
  return total.map((v) => v / copies.length);
}

const phis = (s: ModelSignals, rows: readonly number[], labels: readonly number[]): Float64Array =>
  Float64Array.from(rows, (row, i) => clipPhi(logitConfidence(s, row, labels[i]!)));

export function liraAttack(
  ctx: AttackContext,
  shadowsName: string,
  opts: LiraOptions & { augmented: boolean },
): Float64Array {
  const refs: readonly ReferenceModel[] | undefined = ctx.shadows.get(shadowsName);
  if (!refs || refs.length === 0) throw new AttackInputError(`LiRA needs the reference models "${shadowsName}".`);
  const cands = ctx.candidates;
  const labels = cands.map((r) => ctx.labels[r]!);
  const isIn = inMasks(refs, cands);
  if (!opts.augmented) {
    return liraScores(
      { target: phis(ctx.target, cands, labels), refs: refs.map((m) => phis(m.signals, cands, labels)), isIn },
      opts,
    );
  }
  const aug = ctx.augmented;
  const shadowAug = aug?.shadows.get(shadowsName);
  if (!aug || !shadowAug)
    throw new AttackInputError(
      'LiRA with augmentations needs the augmented queries of the target and the reference models.',
    );
  const rowsOf = (a: AugmentedSignals, q: number): number[] => cands.map((r) => q * a.n + r);
  const copies: LiraSignals[] = [];
  for (let q = 0; q < aug.target.copies; q++) {
    copies.push({
      target: phis(aug.target.signals, rowsOf(aug.target, q), labels),
      refs: shadowAug.map((a) => phis(a.signals, rowsOf(a, q), labels)),
      isIn,
    });
  }
  return liraScoresAveraged(copies, opts);
}

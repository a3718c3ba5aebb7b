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
import { logNormalCdf, logNormalPdf, mean, median, std } from './stats.js';

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
  const ins: number[][] = [];
  const outs: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a: number[] = [],
      b: number[] = [];
    for (let k = 0; k < m; k++) (sig.isIn[k]![i] ? a : b).push(sig.refs[k]![i]!);
    if (b.length === 0)
      throw new AttackInputError(
        `LiRA needs at least one OUT reference model for every record; record #${i} was in the training set of all ${m}.`,
      );
    if (opts.mode === 'online' && a.length === 0) {
      throw new AttackInputError(
        `Online LiRA needs IN reference models for every candidate; record #${i} is in the training set of none of the ${m}. Sample the shadows "half" from a pool that covers the target's members and non-members (e.g. pool digits), or use mode: offline.`,
      );
    }
    ins.push(a);
    outs.push(b);
  }
  const globalStd = (groups: number[][]): number => std(groups.flat()) + EPS;
  const sdOutAll = opts.fixedVariance ? globalStd(outs) : 0;
  const sdInAll = opts.fixedVariance && opts.mode === 'online' ? globalStd(ins) : 0;
  const centre = opts.centre === 'median' ? median : mean;
  return Float64Array.from({ length: n }, (_, i) => {
    const phi = sig.target[i]!;
    const out = outs[i]!;
    const muOut = centre(out);
    const sdOut = opts.fixedVariance ? sdOutAll : std(out) + EPS;
    if (opts.mode === 'offline') {
      const z = (phi - muOut) / sdOut;
      return logNormalCdf(z) - logNormalCdf(-z);
    }
    const inn = ins[i]!;
    const muIn = centre(inn);
    const sdIn = opts.fixedVariance ? sdInAll : std(inn) + EPS;
    return logNormalPdf(phi, muIn, sdIn) - logNormalPdf(phi, muOut, sdOut);
  });
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

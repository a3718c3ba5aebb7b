/**
 * The intervals of `mia compare`: one stratified percentile bootstrap gives each side's interval and the
 * interval of the change B − A. Paired when both runs scored the same records (the same candidates, by
 * record and membership): each resample draws the same records for A and for B, so what the two runs
 * share (which records happen to be hard) cancels out of the change. Otherwise (other candidates, e.g.
 * another seed's takes) the two sides are resampled independently. Fixed resamples and seed: a rerun
 * of compare prints the same intervals.
 */
import { type Interval, percentileInterval } from '../metrics/bootstrap.js';
import { advantage, balancedAccuracy } from '../metrics/roc-metrics.js';
import { type SortedSample, sortedSample } from '../metrics/sorted-sample.js';
import { makeRng } from '../util/rng.js';

/** The bootstrap of every comparison: stated with its intervals in the table and on the page. */
export const COMPARE_BOOTSTRAP = { resamples: 1000, seed: 0, level: 0.95 } as const;

export interface Samples {
  record: readonly number[];
  score: readonly number[];
  member: readonly number[];
}

export interface SideIntervals {
  a: Interval;
  b: Interval;
  delta: Interval;
}

export interface CompareIntervals {
  paired: boolean;
  resamples: number;
  seed: number;
  /** AUC, the TPR at each level asked, balanced accuracy, advantage: in that order. */
  metrics: SideIntervals[];
}

/** For each of A's records, B's index of the same record with the same membership; null unless both scored exactly the same records. */
export function pairing(A: Samples, B: Samples): Uint32Array | null {
  if (A.record.length !== B.record.length) return null;
  const inB = new Map<number, number>();
  for (const [j, r] of B.record.entries()) {
    if (inB.has(r)) return null;
    inB.set(r, j);
  }
  const out = new Uint32Array(A.record.length);
  const seen = new Set<number>();
  for (const [i, r] of A.record.entries()) {
    const j = inB.get(r);
    if (j === undefined || seen.has(r) || (A.member[i] === 1) !== (B.member[j] === 1)) return null;
    seen.add(r);
    out[i] = j;
  }
  return out;
}

function strata(member: readonly number[]): { memberIndex: Uint32Array; nonMemberIndex: Uint32Array } {
  const m: number[] = [];
  const n: number[] = [];
  for (const [i, x] of member.entries()) (x === 1 ? m : n).push(i);
  return { memberIndex: Uint32Array.from(m), nonMemberIndex: Uint32Array.from(n) };
}

/** One resample's statistics: AUC, the TPRs at `levels`, balanced accuracy, advantage. */
function statistics(s: SortedSample, levels: readonly number[], tprs: Float64Array): number[] {
  const area = s.aucAndTprs(levels, tprs);
  const curve = s.roc();
  return [area, ...tprs, balancedAccuracy(curve), advantage(curve)];
}

/**
 * Each metric's interval in A, in B and of B − A. Null when a side lacks one of the two classes (no
 * metric to resample).
 */
export function compareIntervals(
  A: Samples,
  B: Samples,
  levels: readonly number[],
  o: { resamples: number; seed: number; level: number } = COMPARE_BOOTSTRAP,
): CompareIntervals | null {
  const pairs = pairing(A, B);
  const scoreB = pairs ? Array.from(pairs, (j) => B.score[j]!) : B.score;
  const sa = strata(A.member);
  const sb = pairs ? sa : strata(B.member);
  for (const s of [sa, sb]) if (!s.memberIndex.length || !s.nonMemberIndex.length) return null;
  const sampleA = sortedSample(A.score, sa);
  const sampleB = sortedSample(scoreB, sb);
  // paired: the same seed, so the same positions of the same strata, so the same records on both sides
  const rngA = makeRng(o.seed);
  const rngB = makeRng(pairs ? o.seed : o.seed + 1);
  const k = levels.length + 3;
  const values = { a: [] as number[][], b: [] as number[][], delta: [] as number[][] };
  for (const v of Object.values(values)) for (let m = 0; m < k; m++) v.push([]);
  const tprs = new Float64Array(levels.length);
  for (let r = 0; r < o.resamples; r++) {
    sampleA.draw(rngA);
    sampleB.draw(rngB);
    const x = statistics(sampleA, levels, tprs);
    const y = statistics(sampleB, levels, tprs);
    for (let m = 0; m < k; m++) {
      values.a[m]!.push(x[m]!);
      values.b[m]!.push(y[m]!);
      values.delta[m]!.push(y[m]! - x[m]!);
    }
  }
  const metrics = Array.from({ length: k }, (_, m) => ({
    a: percentileInterval(values.a[m]!, o.level),
    b: percentileInterval(values.b[m]!, o.level),
    delta: percentileInterval(values.delta[m]!, o.level),
  }));
  return { paired: pairs !== null, resamples: o.resamples, seed: o.seed, metrics };
}

/**
 * A sample laid out for stratified bootstrap resampling in O(n) per resample. A resample draws
 * stratum positions (members' positions 0..P-1 and non-members' 0..N-1, as `bootstrapCi` draws them)
 * and counts how often each position was drawn; its ROC is then one walk over the records in descending
 * score order, summing the counts of each distinct score's records. The scores are sorted once.
 */
import type { Rng } from '../util/rng.js';
import { groupScores, type Roc, rocFromGroupCounts } from './roc.js';
import { auc, tprAtFpr } from './roc-metrics.js';

export interface SortedSample {
  /** Draws one resample (members, then non-members, from `rng`), replacing the previous one. */
  draw(rng: Rng): void;
  /** The resample's ROC: equal to `roc()` of the resampled scores. */
  roc(): Roc;
  /**
   * The resample's AUC (returned) and its TPR at each FPR level (into `tprs`): the same numbers as
   * `auc(this.roc())` and `tprAtFpr(this.roc(), level)`, without building the ROC.
   */
  aucAndTprs(levels: readonly number[], tprs: Float64Array): number;
}

/**
 * The sorted layout of the records memberIndex (members) and nonMemberIndex (non-members) of `scores`.
 * A record's slot is its stratum position, non-members' offset by P; `slots` lists them by descending
 * score, and `last[k]` marks the last slot of each distinct score (null when every score is distinct).
 */
export function sortedSample(
  scores: ArrayLike<number>,
  strata: { readonly memberIndex: Uint32Array; readonly nonMemberIndex: Uint32Array },
): SortedSample {
  const { values, groupOf } = groupScores(scores);
  const P = strata.memberIndex.length;
  const N = strata.nonMemberIndex.length;
  const n = P + N;
  const layout = slotsByGroup(groupOf, strata, values.length);
  // Counts in bytes, four times fewer cache misses than 32 bits on large samples. A count over 255 (a position
  // drawn 256 times, which needs P or N >= 256 and has odds below 1e-500) wraps; the walk then sees totals
  // other than P and N and the resample is recounted exactly from the draws.
  const counts = new Uint8Array(n);
  const memberDraws = new Uint32Array(P);
  const nonMemberDraws = new Uint32Array(N);
  const exactCounts = (): Uint32Array => {
    const c = new Uint32Array(n);
    for (let j = 0; j < P; j++) c[memberDraws[j]!]!++;
    for (let j = 0; j < N; j++) c[P + nonMemberDraws[j]!]!++;
    return c;
  };
  const roc = (): Roc => rocOfCounts(layout, values, exactCounts(), P, N);
  return {
    draw(rng) {
      counts.fill(0);
      rng.ints(P, memberDraws);
      countInto(counts, memberDraws, 0);
      rng.ints(N, nonMemberDraws);
      countInto(counts, nonMemberDraws, P);
    },
    roc,
    aucAndTprs(levels, tprs) {
      const area = aucAndTprs(layout.slots, layout.last, counts, P, N, levels, tprs);
      if (!Number.isNaN(area)) return area;
      const curve = roc();
      levels.forEach((level, l) => {
        tprs[l] = tprAtFpr(curve, level);
      });
      return auc(curve);
    },
  };
}

/** The slots in descending score order, each group's end in that order, and the last slot of each group. */
interface SlotLayout {
  slots: Uint32Array;
  groupEnd: Uint32Array;
  last: Uint8Array | null;
}

/** A counting sort of the slots by group (groups are in descending score order). */
function slotsByGroup(
  groupOf: ArrayLike<number>,
  strata: { readonly memberIndex: Uint32Array; readonly nonMemberIndex: Uint32Array },
  G: number,
): SlotLayout {
  const P = strata.memberIndex.length;
  const n = P + strata.nonMemberIndex.length;
  const start = new Uint32Array(G + 1);
  const groupOfSlot = (s: number): number => groupOf[s < P ? strata.memberIndex[s]! : strata.nonMemberIndex[s - P]!]!;
  for (let s = 0; s < n; s++) start[groupOfSlot(s) + 1]!++;
  for (let g = 0; g < G; g++) start[g + 1]! += start[g]!;
  const slots = new Uint32Array(n);
  const fill = start.slice(0, G);
  for (let s = 0; s < n; s++) slots[fill[groupOfSlot(s)]!++] = s;
  const groupEnd = start.subarray(1);
  let last: Uint8Array | null = null;
  if (G < n) {
    last = new Uint8Array(n);
    for (let g = 0; g < G; g++) last[groupEnd[g]! - 1] = 1;
  }
  return { slots, groupEnd, last };
}

/** The ROC of a resample from each slot's count `c`: the counts summed per distinct score, then rocFromGroupCounts. */
function rocOfCounts(layout: SlotLayout, values: Float64Array, c: Uint32Array, P: number, N: number): Roc {
  const { slots, groupEnd } = layout;
  const memberCounts = new Uint32Array(values.length);
  const nonMemberCounts = new Uint32Array(values.length);
  let k = 0;
  for (let g = 0; g < values.length; g++) {
    for (const e = groupEnd[g]!; k < e; k++) {
      const s = slots[k]!;
      if (s < P) memberCounts[g]! += c[s]!;
      else nonMemberCounts[g]! += c[s]!;
    }
  }
  return rocFromGroupCounts(values, memberCounts, nonMemberCounts, P, N);
}

function countInto(counts: Uint8Array, draws: Uint32Array, offset: number): void {
  for (let j = 0; j < draws.length; j++) counts[offset + draws[j]!]!++;
}

/**
 * The hot loop of every interval, without branches on the data. It visits every distinct score, drawn
 * or not, as if each were a ROC point: an undrawn one (or one that adds members only) leaves the FPR
 * unchanged, so its trapezoid is exactly +0 and the AUC's sum is the same number as auc() over the real
 * points, term for term. The TPR at FPR <= level of tprAtFpr() is the TPR of the last point at or below
 * the level (TPR never decreases), i.e. the TPR before the first score whose FPR passes it.
 * Returns NaN when the counts do not add up to P and N.
 */
function aucAndTprs(
  slots: Uint32Array,
  last: Uint8Array | null,
  counts: Uint8Array,
  P: number,
  N: number,
  levels: readonly number[],
  tprs: Float64Array,
): number {
  const order = levels.map((_, l) => l).sort((a, b) => levels[a]! - levels[b]!);
  const sorted = order.map((l) => levels[l]!);
  let next = 0;
  let bound = sorted.length ? sorted[0]! : Number.POSITIVE_INFINITY;
  let area = 0;
  let f0 = 0;
  let t0 = 0;
  let tp = 0;
  let fp = 0;
  const n = slots.length;
  for (let k = 0; k < n; k++) {
    const s = slots[k]!;
    const c = counts[s]!;
    const isMember = ((s - P) >>> 31) & 1; // s < P, as 0 or 1 without a branch
    tp += c * isMember;
    fp += c - c * isMember;
    if (last !== null && last[k] === 0) continue;
    const f = fp / N;
    const t = tp / P;
    area += ((f - f0) * (t + t0)) / 2;
    while (f > bound) {
      tprs[order[next]!] = t0;
      bound = ++next < sorted.length ? sorted[next]! : Number.POSITIVE_INFINITY;
    }
    f0 = f;
    t0 = t;
  }
  for (; next < sorted.length; next++) tprs[order[next]!] = t0;
  // Totals other than P and N: a byte count wrapped (see sortedSample).
  return tp === P && fp === N ? area : Number.NaN;
}

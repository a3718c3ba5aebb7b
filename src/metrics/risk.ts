/**
 * Per-record exposure: each record's rank among an attack's scores and a membership risk in [0, 1].
 *
 * The risk is Song & Mittal's privacy risk score (USENIX Security 2021, eq. 2), the posterior
 * r(x) = π·P(s | in) / (π·P(s | in) + (1 − π)·P(s | out)) at a stated prior π, with the score's
 * distributions among members and non-members estimated by histograms (as TensorFlow Privacy's
 * privacy risk score does): equal-count bins of all scores (ties in one bin), add-½ smoothing, and
 * leave-one-out (a record's own label is taken out of its bin's counts), so no record's risk reads its
 * own membership. For a likelihood-ratio score (LiRA, RMIA) this is the posterior of that ratio as
 * the data calibrate it, at the same prior.
 */

/** The prior Pr(member) of the risk: results.json states it beside the risks. */
export const DEFAULT_PRIOR = 0.5;

/** Ranks 1 = highest score; equal scores share the best rank ("1224"); NaN ranks last. */
export function scoreRanks(score: ArrayLike<number>): number[] {
  const n = score.length;
  const key = (i: number): number => (Number.isNaN(score[i]!) ? -Infinity : score[i]!);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => key(b) - key(a) || a - b);
  const rank = new Array<number>(n).fill(0);
  order.forEach((r, k) => {
    const prev = order[k - 1];
    rank[r] = k > 0 && prev !== undefined && key(prev) === key(r) ? rank[prev]! : k + 1;
  });
  return rank;
}

/** The bin of each record: equal-count bins over the sorted scores, a run of equal scores never split. */
export function scoreBins(score: ArrayLike<number>, bins: number): { bin: Int32Array; count: number } {
  const n = score.length;
  const key = (i: number): number => (Number.isNaN(score[i]!) ? -Infinity : score[i]!);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b));
  const bin = new Int32Array(n);
  const size = Math.max(1, Math.ceil(n / Math.max(1, bins)));
  let b = 0;
  let inBin = 0;
  for (let k = 0; k < n; k++) {
    const r = order[k]!;
    const prev = order[k - 1];
    if (inBin >= size && prev !== undefined && key(prev) !== key(r)) {
      b++;
      inBin = 0;
    }
    bin[r] = b;
    inBin++;
  }
  return { bin, count: n ? b + 1 : 0 };
}

/** How many bins: about 50 records each (members and non-members together), between 2 and 20. */
export const riskBins = (n: number): number => Math.max(2, Math.min(20, Math.floor(n / 50)));

/**
 * Song & Mittal's privacy risk score of every record at prior π (see the file's comment); rounded to
 * 6 decimals, as a reader quotes it. Needs both members and non-members.
 */
export function privacyRisk(
  score: ArrayLike<number>,
  member: ArrayLike<number>,
  prior = DEFAULT_PRIOR,
  bins = riskBins(score.length),
): number[] {
  if (!(prior > 0 && prior < 1)) throw new RangeError(`The prior must be in (0, 1), got ${prior}.`);
  const { bin, count } = scoreBins(score, bins);
  const ins = new Float64Array(count);
  const outs = new Float64Array(count);
  let m = 0;
  for (let i = 0; i < bin.length; i++) {
    if (member[i]) {
      ins[bin[i]!]!++;
      m++;
    } else outs[bin[i]!]!++;
  }
  const o = bin.length - m;
  return Array.from(bin, (b, i) => {
    const own = member[i] ? 1 : 0;
    const pin = (ins[b]! - own + 0.5) / (m - own + 0.5 * count);
    const pout = (outs[b]! - (1 - own) + 0.5) / (o - (1 - own) + 0.5 * count);
    const r = (prior * pin) / (prior * pin + (1 - prior) * pout);
    return Math.round(r * 1e6) / 1e6;
  });
}

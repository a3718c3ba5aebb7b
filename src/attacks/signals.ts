/**
 * Per-record signals, computed on the host in float64 from a model's logits (see ALGORITHMS.md).
 */

/**
 * What a model gave for every record it was queried on: row r holds record r's `classes` values.
 * Logits by default; with `logProbs`, log-probabilities exactly as a target released them (top-k,
 * rounded or labels only: hidden classes are −Infinity), which are read as they are, never
 * renormalised, so an attack sees the released p_y itself.
 */
export interface ModelSignals {
  logits: Float32Array | Float64Array;
  classes: number;
  logProbs?: boolean;
}

/** The predicted class of row `r` (the first of equal maxima). */
export function predictedLabel(s: ModelSignals, r: number): number {
  const c = s.classes;
  let best = 0;
  for (let i = 1; i < c; i++) if (s.logits[r * c + i]! > s.logits[r * c + best]!) best = i;
  return best;
}

/** p_y in float64, from logits. */
export const confidenceOf = (s: ModelSignals, r: number, y: number): number => Math.exp(logProbOfLabel(s, r, y));

/** Softmax of row `r`, in float64, with the max subtracted for stability. */
export function probabilities(s: ModelSignals, r: number): Float64Array {
  const c = s.classes;
  if (s.logProbs) return Float64Array.from({ length: c }, (_, i) => Math.exp(s.logits[r * c + i]!));
  const out = new Float64Array(c);
  let max = -Infinity;
  for (let i = 0; i < c; i++) max = Math.max(max, s.logits[r * c + i]!);
  let sum = 0;
  for (let i = 0; i < c; i++) {
    const e = Math.exp(s.logits[r * c + i]! - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < c; i++) out[i]! /= sum;
  return out;
}

/**
 * log p_y. From logits, as −softplus(−φ) with φ the logit-scaled confidence: z_y − logsumexp(z)
 * would round to exactly 0 once the margin passes about 37 (1 + e^−37 is 1 in float64), tying the
 * most confident records; this stays exact (loss 1.7e-21 at a margin of 50).
 */
export function logProbOfLabel(s: ModelSignals, r: number, y: number): number {
  if (s.logProbs) return s.logits[r * s.classes + y]!;
  return logProbFromLogitConfidence(logitConfidence(s, r, y));
}

/** log p from φ = log(p / (1 − p)), as −softplus(−φ). */
export function logProbFromLogitConfidence(phi: number): number {
  if (phi === Infinity) return 0;
  if (phi === -Infinity) return -Infinity;
  return phi >= 0 ? -Math.log1p(Math.exp(-phi)) : phi - Math.log1p(Math.exp(phi));
}

/** Cross-entropy loss −log p_y. */
export const lossOf = (s: ModelSignals, r: number, y: number): number => -logProbOfLabel(s, r, y);

/**
 * Logit-scaled confidence φ = log(p_y / (1 − p_y)) = z_y − logsumexp_{i≠y} z_i from logits; from
 * released log-probabilities, log p_y − log(1 − p_y) of the released p_y (±Infinity at 1 and 0).
 */
export function logitConfidence(s: ModelSignals, r: number, y: number): number {
  const c = s.classes;
  if (s.logProbs) {
    const lp = s.logits[r * c + y]!;
    return lp >= 0 ? Infinity : lp - Math.log1p(-Math.exp(lp));
  }
  let max = -Infinity;
  for (let i = 0; i < c; i++) if (i !== y) max = Math.max(max, s.logits[r * c + i]!);
  if (max === -Infinity) return Infinity;
  if (s.logits[r * c + y]! === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < c; i++) if (i !== y) sum += Math.exp(s.logits[r * c + i]! - max);
  return s.logits[r * c + y]! - max - Math.log(sum);
}

const xlogx = (p: number): number => (p > 0 ? p * Math.log(p) : 0);

export function entropyOf(p: Float64Array): number {
  let h = 0;
  for (const v of p) h -= xlogx(v);
  return h;
}

/** Song & Mittal's modified entropy: −(1 − p_y) log p_y − Σ_{i≠y} p_i log(1 − p_i). */
export function modifiedEntropyOf(p: Float64Array, y: number, logPy: number): number {
  let m = -(1 - p[y]!) * logPy;
  for (let i = 0; i < p.length; i++) {
    if (i === y) continue;
    const q = p[i]!;
    m -= q * Math.log1p(-q);
  }
  return m;
}

/** Probabilities sorted in decreasing order. */
export function sortedDesc(p: Float64Array): Float64Array {
  return Float64Array.from(p).sort().reverse();
}

/**
 * φ from a loss ℓ = −log p_y alone: log(p / (1 − p)) = −ℓ − log(1 − e^−ℓ), computed with expm1 so
 * that a loss of 1e-12 (p_y = 1 − 1e-12) still gives φ ≈ 27.6 rather than Infinity.
 */
export function logitConfidenceFromLoss(loss: number): number {
  if (loss <= 0) return Infinity;
  if (loss === Infinity) return -Infinity;
  return -loss - Math.log(-Math.expm1(-loss));
}

/**
 * The log-probabilities of row `r` in float64: z_i − logsumexp(z), with the largest logit taken out
 * (log p_i = (z_i − z_max) − log1p(Σ_{j≠max} e^{z_j − z_max})), so that a top probability of
 * 1 − 1e-12 keeps its log (−1e-12) rather than rounding to 0. Released log-probabilities are returned
 * as they are (hidden classes stay −Infinity).
 */
export function logProbabilities(s: ModelSignals, r: number): Float64Array {
  const c = s.classes;
  const row = Float64Array.from({ length: c }, (_, i) => s.logits[r * c + i]!);
  if (s.logProbs) return row;
  let top = 0;
  for (let i = 1; i < c; i++) if (row[i]! > row[top]!) top = i;
  const max = row[top]!;
  let rest = 0;
  for (let i = 0; i < c; i++) if (i !== top) rest += Math.exp(row[i]! - max);
  const lse = Math.log1p(rest);
  return row.map((z) => z - max - lse);
}

/**
 * Membership scores of language models from per-token log-probabilities (`mia attack --signals` with a
 * token file, src/cli/token-signals-file.ts). Per sequence x of tokens x_1..x_L, with ℓ_t = log p(x_t | x_<t)
 * under the target (higher score = more likely a member):
 * - loss: −(1/L) Σ ℓ_t, scored as −loss (perplexity = e^loss ranks the same);
 * - zlib (Carlini et al. 2021): loss / zlib, the zlib-compressed size of the text in bytes, scored as −ratio;
 * - reference (Carlini et al. 2021): loss / loss_ref under a reference model, scored as −ratio;
 * - min_k (Shi et al. 2024): the mean of the k% lowest ℓ_t (at least one token), scored as is;
 * - min_k_plus_plus (Zhang et al. 2025): the same mean of z_t = (ℓ_t − μ_t)/σ_t, where μ_t and σ_t² are the
 *   mean and variance of log p(z | x_<t) over the vocabulary z ~ p(· | x_<t); a token with σ_t = 0 has z_t = 0.
 */
import type { ScoredVariant } from './signals-input.js';

export interface TokenSignals {
  /** Per sequence, 1 member, 0 non-member. */
  member: Int8Array;
  /** Per sequence, the target's log-probability of each of its tokens. */
  logprobs: Float64Array[];
  /** Per sequence and token: μ_t and σ_t² of the log-probability over the vocabulary (for Min-K%++). */
  mean?: Float64Array[];
  variance?: Float64Array[];
  /** Per sequence, a reference model's log-probability of each of its tokens. */
  reference?: Float64Array[];
  /** Per sequence, the zlib-compressed size of its text in bytes. */
  zlib?: Float64Array;
}

/** k of Min-K% and Min-K%++: the share of lowest tokens averaged (the papers' usual 20%). */
export const MIN_K = 0.2;

const meanLoss = (lp: Float64Array): number => -lp.reduce((s, v) => s + v, 0) / lp.length;

/** The mean of the ⌊k·L⌋ lowest values (at least one). */
export function lowestMean(values: Float64Array, k: number): number {
  const sorted = Float64Array.from(values).sort();
  const count = Math.max(1, Math.floor(k * sorted.length));
  let s = 0;
  for (let i = 0; i < count; i++) s += sorted[i]!;
  return s / count;
}

/** z_t = (ℓ_t − μ_t)/σ_t of one sequence (0 where σ_t = 0). */
function standardised(lp: Float64Array, mean: Float64Array, variance: Float64Array): Float64Array {
  return lp.map((v, t) => (variance[t]! > 0 ? (v - mean[t]!) / Math.sqrt(variance[t]!) : 0));
}

/** Every score the file's fields allow, in the order above, and notes on what is missing. */
export function tokenScores(s: TokenSignals, k = MIN_K): { variants: ScoredVariant[]; notes: string[] } {
  const notes: string[] = [];
  const variants: ScoredVariant[] = [];
  const add = (name: string, f: (i: number) => number): void => {
    variants.push({ name, kind: 'token', scores: Float64Array.from(s.logprobs, (_, i) => f(i)) });
  };
  const loss = s.logprobs.map(meanLoss);
  add('loss', (i) => -loss[i]!);
  if (s.zlib) add('zlib', (i) => -loss[i]! / s.zlib![i]!);
  else notes.push('zlib needs "zlib": the compressed size of each text.');
  if (s.reference) {
    const ref = s.reference.map(meanLoss);
    add('reference', (i) => -loss[i]! / ref[i]!);
  } else notes.push('reference needs "reference": a reference model\'s log-probabilities of the same tokens.');
  const pct = `${+(k * 100).toFixed(4)}`;
  add(`min_k_${pct}`, (i) => lowestMean(s.logprobs[i]!, k));
  if (s.mean && s.variance) {
    const { mean, variance } = s;
    add(`min_k_plus_plus_${pct}`, (i) => lowestMean(standardised(s.logprobs[i]!, mean[i]!, variance[i]!), k));
  } else notes.push('min_k_plus_plus needs "mean" and "variance": per token, over the vocabulary.');
  return { variants, notes };
}

/**
 * Quantile-regression membership inference (Bertran et al., NeurIPS 2023): no shadow models. The target's
 * score of a record is its margin (the hinge) m(x, y) = z_y − max_{i≠y} z_i (logit, or released
 * log-probability, of the true class against the best other; clipped to ±100). On population records (known
 * non-members) a regressor learns, per record, the distribution of the margin of a non-member like it:
 * - loss pinball: q̂(x, y), the (1 − fpr) quantile, by the pinball loss; the score is m − q̂;
 * - loss gaussian: μ(x, y) and σ(x, y), by the Gaussian negative log-likelihood; the score is
 *   (m − μ)/σ − Φ⁻¹(1 − fpr), i.e. (m − q̂)/σ with q̂ = μ + σ·Φ⁻¹(1 − fpr), any fpr from one fit.
 * Either way the threshold 0 flags about `fpr` of non-members. The regressor (src/attacks/fit/class-head-mlp.ts):
 * a one-hidden-layer ReLU MLP on the record's features with one head per class, the record's label picking
 * its head (their code's "target-dependent scoring"), the margins standardised (mean 0, sd 1) while it is fitted.
 */
import { AttackInputError, type AttackContext } from './context.js';
import { fitClassHeadMlp, predictClassHead } from './fit/class-head-mlp.js';
import { normalQuantile } from '../metrics/index.js';
import type { ModelSignals } from './signals.js';

export interface QuantileSettings {
  fpr: number;
  hidden: number;
  epochs: number;
  loss: 'pinball' | 'gaussian';
}

/** The margin of the true class y over the best other class, clipped to ±100. */
export function marginOf(s: ModelSignals, r: number, y: number): number {
  const c = s.classes;
  let best = -Infinity;
  for (let i = 0; i < c; i++) if (i !== y) best = Math.max(best, s.logits[r * c + i]!);
  const m = s.logits[r * c + y]! - best;
  return Number.isNaN(m) ? 0 : Math.max(-100, Math.min(100, m));
}

/** A record's regressor input: its features. */
function inputOf(ctx: AttackContext, r: number): Float64Array {
  const f = ctx.features!;
  return Float64Array.from(f.x.subarray(r * f.dim, (r + 1) * f.dim));
}

export function quantileAttack(ctx: AttackContext, s: QuantileSettings): Float64Array {
  const pop = ctx.population;
  if (!pop || pop.length === 0) throw new AttackInputError('The quantile attack needs population records.');
  if (!ctx.features) throw new AttackInputError("The quantile attack needs the records' features.");
  const margin = (r: number): number => marginOf(ctx.target, r, ctx.labels[r]!);
  const y = pop.map(margin);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length) || 1;
  const tau = 1 - s.fpr;
  const model = fitClassHeadMlp(
    pop.map((r) => inputOf(ctx, r)),
    pop.map((r) => ctx.labels[r]!),
    y.map((v) => (v - mean) / sd),
    ctx.classes,
    {
      hidden: s.hidden,
      epochs: s.epochs,
      batch: 64,
      rate: 1e-3,
      seed: ctx.seed ?? 0,
      loss: s.loss === 'gaussian' ? { kind: 'gaussian' } : { kind: 'pinball', tau },
    },
  );
  const z = s.loss === 'gaussian' ? normalQuantile(tau) : 0;
  return Float64Array.from(ctx.candidates, (r) => {
    const [q, sigma] = predictClassHead(model, inputOf(ctx, r), ctx.labels[r]!);
    const t = (margin(r) - mean) / sd;
    return sigma === undefined ? (t - q!) * sd : (t - q!) / sigma - z;
  });
}

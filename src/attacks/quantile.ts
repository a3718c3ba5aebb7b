/**
 * Quantile-regression membership inference (Bertran et al., NeurIPS 2023): no shadow models. The target's
 * score of a record is its margin m(x, y) = z_y − max_{i≠y} z_i (logit, or released log-probability, of the
 * true class against the best other; clipped to ±100). On population records (known non-members) a
 * regressor learns q̂(x, y), the (1 − fpr) quantile of the margin given the record, by the pinball loss;
 * a candidate scores m(x, y) − q̂(x, y), and the threshold 0 flags about `fpr` of non-members.
 * The regressor: a one-hidden-layer ReLU MLP (src/attacks/fit/mlp.ts) on the record's features and its
 * one-hot label, the margins standardised (mean 0, sd 1) while it is fitted.
 */
import { AttackInputError, type AttackContext } from './context.js';
import { fitMlp, predictMlpLinear } from './fit/mlp.js';
import type { ModelSignals } from './signals.js';

export interface QuantileSettings {
  fpr: number;
  hidden: number;
  epochs: number;
}

/** The margin of the true class y over the best other class, clipped to ±100. */
export function marginOf(s: ModelSignals, r: number, y: number): number {
  const c = s.classes;
  let best = -Infinity;
  for (let i = 0; i < c; i++) if (i !== y) best = Math.max(best, s.logits[r * c + i]!);
  const m = s.logits[r * c + y]! - best;
  return Number.isNaN(m) ? 0 : Math.max(-100, Math.min(100, m));
}

/** A record's regressor input: its features, then its one-hot label. */
function inputOf(ctx: AttackContext, r: number): Float64Array {
  const f = ctx.features!;
  const v = new Float64Array(f.dim + ctx.classes);
  for (let k = 0; k < f.dim; k++) v[k] = f.x[r * f.dim + k]!;
  v[f.dim + ctx.labels[r]!] = 1;
  return v;
}

export function quantileAttack(ctx: AttackContext, s: QuantileSettings): Float64Array {
  const pop = ctx.population;
  if (!pop || pop.length === 0) throw new AttackInputError('The quantile attack needs population records.');
  if (!ctx.features) throw new AttackInputError("The quantile attack needs the records' features.");
  const margin = (r: number): number => marginOf(ctx.target, r, ctx.labels[r]!);
  const y = pop.map(margin);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length) || 1;
  const model = fitMlp(
    pop.map((r) => inputOf(ctx, r)),
    y.map((v) => (v - mean) / sd),
    { hidden: s.hidden, epochs: s.epochs, batch: 64, rate: 1e-3, seed: ctx.seed ?? 0, pinball: 1 - s.fpr },
  );
  return Float64Array.from(ctx.candidates, (r) => margin(r) - (predictMlpLinear(model, inputOf(ctx, r)) * sd + mean));
}

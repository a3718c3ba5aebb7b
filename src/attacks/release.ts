/**
 * What a target releases per query, and the transform that turns its raw logits into exactly that:
 * an attack is handed the released rows only, for the target and, since the attacker knows the API's
 * format, for its own reference models too. Released rows are log-probabilities marked `logProbs`
 * (a class the release hides or rounds to zero gets −Infinity), read as released, never
 * renormalised: with top-k, the probabilities of the top k classes (the rest zero); with rounding,
 * the probabilities rounded to `decimals` places; with labels, a one-hot row of the predicted class.
 * Probabilities are released as the model's logits (equivalent up to a constant per row, and exact in
 * float64 where rounded probabilities are not).
 */
import { match } from 'ts-pattern';
import type { Release } from '../kinds/program.js';
import { predictedLabel, probabilities, type ModelSignals } from './signals.js';

export function applyRelease(s: ModelSignals, release: Release): ModelSignals {
  if (release.kind === 'probabilities') return s;
  const c = s.classes;
  const n = s.logits.length / c;
  const out = new Float64Array(s.logits.length);
  for (let r = 0; r < n; r++) {
    const row = match(release)
      .with({ kind: 'labels' }, () => {
        const o = new Float64Array(c);
        o[predictedLabel(s, r)] = 1;
        return o;
      })
      .with({ kind: 'top_k' }, ({ k }) => {
        const p = probabilities(s, r);
        const keep = Array.from(p.keys())
          .sort((a, b) => p[b]! - p[a]! || a - b)
          .slice(0, k);
        const o = new Float64Array(c);
        for (const i of keep) o[i] = p[i]!;
        return o;
      })
      .with({ kind: 'rounded' }, ({ decimals }) => {
        const f = 10 ** decimals;
        return probabilities(s, r).map((v) => Math.round(v * f) / f);
      })
      .exhaustive();
    for (let i = 0; i < c; i++) out[r * c + i] = Math.log(row[i]!);
  }
  return { logits: out, classes: c, logProbs: true };
}

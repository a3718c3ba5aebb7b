/**
 * A target's release applied to a model's outputs: the output defenses' transforms composed in the
 * order written (src/kinds/output-release.ts), each step's descriptor giving its transform. An attack is
 * handed the released rows only, for the target and, since the attacker knows the API's format, for
 * its own reference models too. Released rows are log-probabilities marked `logProbs` (a class the
 * release hides or rounds to zero gets −Infinity), read as released, never renormalised. The model's
 * probabilities unchanged are released as its logits (equivalent up to a constant per row, and exact
 * in float64 where rounded probabilities are not).
 */
import { probabilities, type ModelSignals } from '../attacks/signals.js';
import type { Release, ReleaseStep } from '../kinds/output-release.js';
import { deriveSeed, makeRng } from '../util/rng.js';
import type { ReleaseTransform } from './defense.js';
import { defenseOf } from './index.js';

/** The transform of one step, from its descriptor; a step whose defense has none is a bug. */
export function stepTransform(step: ReleaseStep): ReleaseTransform {
  const t = defenseOf(step).release?.(step.settings);
  if (!t) throw new Error(`The defense "${step.kind}" has no release transform.`);
  return t;
}

/**
 * The rows `s` released through `release`. `seed` seeds the steps that draw noise, per step (callers
 * derive it per model queried, so the target and each reference model get their own draws).
 */
export function applyRelease(s: ModelSignals, release: Release, seed = 0): ModelSignals {
  if (release.kind === 'probabilities') return s;
  const c = s.classes;
  const n = s.logits.length / c;
  const steps = release.steps.map((step, i) => ({ t: stepTransform(step), rng: makeRng(deriveSeed(seed, `${i}`)) }));
  const out = new Float64Array(s.logits.length);
  for (let r = 0; r < n; r++) {
    let row = probabilities(s, r);
    for (const { t, rng } of steps) row = t.apply(row, rng);
    for (let i = 0; i < c; i++) out[r * c + i] = Math.log(row[i]!);
  }
  return { logits: out, classes: c, logProbs: true };
}

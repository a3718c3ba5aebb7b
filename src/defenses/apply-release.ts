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
 * The rows `s` released through `release`, as probabilities (a class the release hides is 0; rows need
 * not sum to 1). `seed` seeds the steps that draw noise, per step; steps before `from` are left out (a
 * remote API's answers have been through its own). What `mia serve` answers.
 */
export function releasedRows(
  s: ModelSignals,
  release: Extract<Release, { kind: 'transformed' }>,
  seed = 0,
  from = 0,
): Float64Array {
  const c = s.classes;
  const n = s.logits.length / c;
  const steps = release.steps
    .map((step, i) => ({ t: stepTransform(step), rng: makeRng(deriveSeed(seed, `${i}`)) }))
    .slice(from);
  const out = new Float64Array(s.logits.length);
  for (let r = 0; r < n; r++) {
    let row = probabilities(s, r);
    for (const { t, rng } of steps) row = t.apply(row, rng);
    out.set(row, r * c);
  }
  return out;
}

/**
 * The rows `s` released through `release`, as log-probabilities. `seed` seeds the steps that draw noise,
 * per step (callers derive it per model queried, so the target and each reference model get their own draws).
 * `answered`: `s` are a remote API's answers, already through its own output format (`release.answered` steps).
 */
export function applyRelease(s: ModelSignals, release: Release, seed = 0, answered = false): ModelSignals {
  if (release.kind === 'probabilities') return s;
  const from = answered ? (release.answered ?? 0) : 0;
  if (from >= release.steps.length) return s;
  const out = releasedRows(s, release, seed, from);
  for (let i = 0; i < out.length; i++) out[i] = Math.log(out[i]!);
  return { logits: out, classes: s.classes, logProbs: true };
}

/**
 * What a target releases per query: a remote API's own output format, then its output defenses'
 * release transforms in the order written (as a deployment applies them), composed. What the
 * composition releases (`form`) is folded from what each step releases: once labels, always labels.
 * A remote API's unnormalised scores release their argmax only: mia reads them as labels.
 */
import { defenseOf } from '../defenses/index.js';
import { composeForms, type Release, type ReleaseForm, type ReleaseStep } from '../kinds/output-release.js';
import type { TargetDef } from '../kinds/program.js';
import { apiTarget } from './read/target-sources/index.js';

/** The steps of a remote API's own output format (labels or its top K), before any defense of mia's. */
function apiSteps(target: TargetDef): ReleaseStep[] {
  const t = apiTarget(target);
  if (!t) return [];
  if (t.output === 'labels' || t.output === 'scores') return [{ kind: 'labels_only', settings: {} }];
  if (t.output === 'top_k' && t.k !== undefined) return [{ kind: 'top_k', settings: { k: t.k } }];
  return [];
}

/** The release steps of a target, in order: its API's output format, then each output defense with a transform. */
export function releaseSteps(t: TargetDef): ReleaseStep[] {
  const own = t.defenses.filter((d) => defenseOf(d).release).map((d) => ({ kind: d.kind, settings: d.settings }));
  return [...apiSteps(t), ...own];
}

export function releaseOf(t: TargetDef): Release {
  const steps = releaseSteps(t);
  if (steps.length === 0) return { kind: 'probabilities' };
  const answered = apiSteps(t).length;
  const form = steps.reduce<ReleaseForm>(
    (f, s) => composeForms(f, defenseOf(s).release!(s.settings).releases),
    'probabilities',
  );
  return { kind: 'transformed', form, steps, ...(answered ? { answered } : {}) };
}

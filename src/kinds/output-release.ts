/**
 * What a target releases per query: its output defenses' transforms composed in the order written (a
 * remote API's own output format first), as a deployment would apply them. Each step names a defense
 * descriptor (src/defenses/) and carries its settings; the descriptor holds the transform and says
 * what the step releases. `form` is what the composition releases, which decides the attacks that may
 * run: once a step releases labels, labels are all that is released.
 */
import type { Settings } from './schema.js';

/** What an attacker reads: full probabilities, some of them (the rest zero), or the predicted label. */
export type ReleaseForm = 'probabilities' | 'top_k' | 'labels';

/** One output defense's transform in a target's release: the defense kind and its settings. */
export interface ReleaseStep {
  kind: string;
  settings: Settings;
}

/** The model's probabilities as they are, or the output defenses' transforms in the order written. */
export type Release =
  | { kind: 'probabilities' }
  /** `answered`: the first steps are a remote API's own output format, which its answers have been through already. */
  | { kind: 'transformed'; form: ReleaseForm; steps: ReleaseStep[]; answered?: number };

const RANK: Record<ReleaseForm, number> = { probabilities: 0, top_k: 1, labels: 2 };

/** What a release gives after a step releasing `next` follows one giving `before`: the less informative. */
export const composeForms = (before: ReleaseForm, next: ReleaseForm): ReleaseForm =>
  RANK[next] > RANK[before] ? next : before;

export const releaseForm = (r: Release): ReleaseForm => (r.kind === 'probabilities' ? 'probabilities' : r.form);

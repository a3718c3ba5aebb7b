/**
 * What a target releases per query: the most restrictive release among its output-time defenses (as
 * their descriptors say: labels over top-k over rounding) and, for a remote API, its output kind.
 */
import { defenseOf } from '../defenses/index.js';
import type { Release, TargetDef } from '../kinds/program.js';

const RESTRICTION: Record<Release['kind'], number> = { probabilities: 0, rounded: 1, top_k: 2, labels: 3 };

export function releaseOf(t: TargetDef): Release {
  const releases: Release[] = t.defenses.flatMap((d) => {
    const r = defenseOf(d).release?.(d.settings);
    return r ? [r] : [];
  });
  if (t.kind === 'remote' && t.output === 'labels') releases.push({ kind: 'labels' });
  if (t.kind === 'remote' && t.output === 'top_k' && t.k !== undefined) releases.push({ kind: 'top_k', k: t.k });
  return releases.reduce<Release>((best, r) => (RESTRICTION[r.kind] > RESTRICTION[best.kind] ? r : best), {
    kind: 'probabilities',
  });
}

/** What a target releases per query, after its output-time defenses (labels_only, top_k, rounding) and, for a remote API, its output kind. */
import type { Release, TargetDef } from './program.js';

export function releaseOf(t: TargetDef): Release {
  if (t.defenses.some((d) => d.kind === 'labels_only') || (t.kind === 'remote' && t.output === 'labels'))
    return { kind: 'labels' };
  const top = t.defenses.find((d) => d.kind === 'top_k');
  if (top && top.kind === 'top_k') return { kind: 'top_k', k: top.k };
  const round = t.defenses.find((d) => d.kind === 'rounding');
  if (round && round.kind === 'rounding') return { kind: 'rounded', decimals: round.decimals };
  return { kind: 'probabilities' };
}

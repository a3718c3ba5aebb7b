/**
 * E165 / W165: output defenses compose in the order written (a remote API's own output first), so an
 * order that cannot be deployed is refused at the later defense: a step after the release became
 * labels only has no probabilities to act on (E165; a second labels-only step changes nothing, W165),
 * and a perturbation in a job of its own (MemGuard) reads the model's probabilities, so it comes
 * before every release transform (E165).
 */
import { defenseOf } from '../../defenses/index.js';
import type { TargetDef } from '../../kinds/program.js';
import type { Rule, RuleContext } from './rule.js';
import { apiTarget } from '../read/target-sources/index.js';

function apiOutput(target: TargetDef): { labels: string | null; transformed: string | null } {
  const t = apiTarget(target);
  if (!t) return { labels: null, transformed: null };
  if (t.output === 'labels')
    return { labels: 'the API answering labels only', transformed: 'the API answering labels' };
  if (t.output === 'top_k') return { labels: null, transformed: `the API answering its top ${t.k ?? 'k'}` };
  return { labels: null, transformed: null };
}

function checkTarget(ctx: RuleContext, t: TargetDef): void {
  let { labels, transformed } = apiOutput(t);
  const api = labels !== null;
  for (const d of t.defenses) {
    const desc = defenseOf(d);
    const r = desc.release?.(d.settings);
    if (!r && !desc.perturb) continue;
    const at = ctx.loc.of(d);
    if (labels && r?.releases === 'labels')
      ctx.warn('W165', `The ${d.kind} defense of target "${t.name}" follows ${labels}: it changes nothing.`, at);
    else if (labels)
      ctx.error(
        'E165',
        `The ${d.kind} defense of target "${t.name}" follows ${labels}: the target releases labels only there, so ${d.kind} has no probabilities to act on.`,
        at,
        api
          ? `Drop ${d.kind}: the API answers labels only.`
          : `Write ${d.kind} before the labels-only step, or drop it.`,
      );
    else if (desc.perturb && transformed)
      ctx.error(
        'E165',
        `The ${d.kind} defense of target "${t.name}" perturbs the model's own probabilities, but it is written after ${transformed}.`,
        at,
        `Write ${d.kind} first among the output defenses: the later ones transform what it releases.`,
      );
    if (r) transformed ??= `the ${d.kind} defense`;
    if (r?.releases === 'labels') labels ??= `the ${d.kind} defense`;
  }
}

export const releaseOrder: Rule = {
  name: 'release-order',
  codes: ['E165', 'W165'],
  run(ctx) {
    for (const t of ctx.program.targets) checkTarget(ctx, t);
  },
};

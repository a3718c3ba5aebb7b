/**
 * E310: online LiRA (and online RMIA) compares, for every record, models trained with it and models
 * trained without it; that needs shadows sampled `half` (each pool record in half the models). Which
 * attacks need it, and of which shadow set, their descriptors say (`needsHalfShadows`).
 * E312: sampled half from a pool that holds none of the targets' records (`digits.rest` beside
 * targets taking from digits, or another dataset), no scored record is IN any model: online would be
 * offline under the online name (RMIA: offline with a = 1). The plan refuses the cases check cannot see.
 */
import { attackOf, attackTitle } from '../../attacks/needs.js';
import { sourceOf } from '../../data/sources/index.js';
import { type DataRef, type TargetDef, type TrainedShadowsDef, trainedShadows } from '../../kinds/program.js';
import type { Rule } from './rule.js';

const taken = (r: DataRef, pool: DataRef): boolean => r.dataset === pool.dataset && r.ops[0]?.op === 'take';

/** Whether no record of any target can be in the pool: another dataset, or its `.rest` beside takes. */
function poolMissesTargets(s: TrainedShadowsDef, targets: readonly TargetDef[]): boolean {
  const rest = s.pool.ops.length === 1 && s.pool.ops[0]!.op === 'rest';
  return targets.every(
    (t) =>
      (t.members.dataset !== s.pool.dataset && t.nonmembers.dataset !== s.pool.dataset) ||
      (rest && taken(t.members, s.pool) && taken(t.nonmembers, s.pool)),
  );
}

export const onlineNeedsHalf: Rule = {
  name: 'online-needs-half',
  codes: ['E310', 'E312'],
  run(ctx) {
    for (const a of ctx.program.attacks) {
      const name = attackOf(a).needsHalfShadows?.(a.settings) ?? null;
      // Reference models from files: their `in` mask is read, and each candidate's IN and OUT models checked, by the plan.
      const s = name === null ? undefined : trainedShadows(ctx.program.shadows).find((x) => x.name === name);
      // On a synthesised pool no sampling helps: synthetic-pool.ts says why (E311).
      const pool = s && ctx.program.datasets.find((d) => d.name === s.pool.dataset);
      if (!s || (pool && sourceOf(pool.source).synthesis)) continue;
      if (s.sampling === 'half') {
        if (poolMissesTargets(s, ctx.program.targets))
          ctx.error(
            'E312',
            `The online ${attackTitle(a)} attack "${a.name}" needs models trained with the records it scores, but the pool of shadows "${s.name}" (${s.pool.dataset}${s.pool.ops.map((o) => `.${o.op}`).join('')}) holds none of the targets' members and non-members: online would be offline ${attackTitle(a)} under the online name.`,
            ctx.loc.of(a, 'mode'),
            `Use mode: offline, or a pool holding the targets' records (e.g. pool ${s.pool.dataset}, sampling half).`,
          );
        continue;
      }
      ctx.error(
        'E310',
        `The online ${attackTitle(a)} attack "${a.name}" needs shadows sampled half, but shadows "${s.name}" are sampled ${s.sampling}.`,
        ctx.loc.of(a, 'mode'),
        `Add sampling half to shadows "${s.name}" (each pool record then trains half the models), or use mode: offline.`,
      );
    }
  },
};

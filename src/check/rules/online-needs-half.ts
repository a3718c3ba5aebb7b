/**
 * E310: online LiRA (and online RMIA) compares, for every record, models trained with it and models
 * trained without it; that needs shadows sampled `half` (each pool record in half the models). Which
 * attacks need it, and of which shadow set, their descriptors say (`needsHalfShadows`).
 */
import { attackOf, attackTitle } from '../../attacks/needs.js';
import { sourceOf } from '../../data/sources/index.js';
import type { Rule } from './rule.js';

export const onlineNeedsHalf: Rule = {
  name: 'online-needs-half',
  run(ctx) {
    for (const a of ctx.program.attacks) {
      const name = attackOf(a).needsHalfShadows?.(a.settings) ?? null;
      const s = name === null ? undefined : ctx.program.shadows.find((x) => x.name === name);
      // On a synthesised pool no sampling helps: synthetic-pool.ts says why (E311).
      const pool = s && ctx.program.datasets.find((d) => d.name === s.pool.dataset);
      if (!s || s.sampling === 'half' || (pool && sourceOf(pool.source).synthesis)) continue;
      ctx.error(
        'E310',
        `The online ${attackTitle(a)} attack "${a.name}" needs shadows sampled half, but shadows "${s.name}" are sampled ${s.sampling}.`,
        ctx.loc.of(a, 'mode'),
        `Add sampling half to shadows "${s.name}" (each pool record then trains half the models), or use mode: offline.`,
      );
    }
  },
};

/**
 * E310: online LiRA (and online RMIA) compares, for every record, models trained with it and models
 * trained without it; that needs shadows sampled `half` (each pool record in half the models).
 */
import type { Rule } from './rule.js';

export const onlineNeedsHalf: Rule = {
  name: 'online-needs-half',
  run(ctx) {
    for (const a of ctx.program.attacks) {
      if ((a.kind !== 'lira' && a.kind !== 'rmia') || a.mode !== 'online') continue;
      const s = ctx.program.shadows.find((x) => x.name === a.shadows);
      if (!s || s.sampling === 'half') continue;
      ctx.error(
        'E310',
        `The online ${a.kind === 'lira' ? 'LiRA' : 'RMIA'} attack "${a.name}" needs shadows sampled half, but shadows "${s.name}" are sampled ${s.sampling}.`,
        ctx.loc.of(a, 'mode'),
        `Add sampling half to shadows "${s.name}" (each pool record then trains half the models), or use mode: offline.`,
      );
    }
  },
};

/**
 * Attack settings that only make sense together, and legal but weak setups, as each attack's
 * descriptor judges them (`check`): e.g. E142 a per-class threshold without shadows, E143 a label-only
 * method without its augmentations, W301 one shadow model, W302 LiRA's variances from few models.
 */
import { attackOf } from '../../attacks/needs.js';
import { shadowCount } from '../../kinds/program.js';
import type { Rule } from './rule.js';

export const attackSettings: Rule = {
  name: 'attack-settings',
  codes: ['E142', 'E143', 'E144', 'W301', 'W302', 'W303'],
  run(ctx) {
    const p = ctx.program;
    for (const a of p.attacks) {
      const d = attackOf(a);
      d.check?.(a.settings, {
        name: a.name,
        error: (code, message, setting, hint) => ctx.error(code, message, ctx.loc.of(a, setting), hint),
        warn: (code, message, setting, hint) => ctx.warn(code, message, ctx.loc.of(a, setting), hint),
        shadows: (name) => {
          const s = p.shadows.find((x) => x.name === name);
          const count = s && shadowCount(s);
          return s && count !== undefined ? { name: s.name, count } : undefined;
        },
      });
    }
  },
};

/**
 * Warnings for legal but misleading shadow counts:
 * W301: a shadow-model attack with one shadow model (the original study saw chance-level results);
 * W302: LiRA with fewer than 8 shadow models and per-record variances (too few to estimate them; Carlini et al. fix the variance then).
 */
import type { Rule } from './rule.js';

export const fewShadows: Rule = {
  name: 'few-shadows',
  run(ctx) {
    const p = ctx.program;
    for (const a of p.attacks) {
      if (a.kind !== 'shadow_model' && a.kind !== 'lira') continue;
      const s = p.shadows.find((x) => x.name === a.shadows);
      if (!s) continue;
      if (a.kind === 'shadow_model' && s.count === 1) {
        ctx.warn(
          'W301',
          `The shadow-model attack "${a.name}" uses a single shadow model; with one, the original study saw chance-level results.`,
          ctx.loc.of(a, 'shadows'),
          `Give shadows "${s.name}" count 4 or more.`,
        );
      }
      if (a.kind === 'lira' && !a.fixedVariance && s.count < 8) {
        ctx.warn(
          'W302',
          `The LiRA attack "${a.name}" estimates a variance per record from ${s.count} shadow model${s.count === 1 ? '' : 's'}, too few to be reliable.`,
          ctx.loc.of(a, 'shadows'),
          'Add fixed_variance: true, or use 8 or more shadow models.',
        );
      }
    }
  },
};

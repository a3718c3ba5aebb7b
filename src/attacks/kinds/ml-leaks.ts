/** Salem et al.'s ML-Leaks: one shadow model, the top posteriors as features. */
import { mlLeaksAttack } from '../ml-leaks.js';
import { defineAttack } from '../kind.js';

export const mlLeaks = defineAttack({
  kind: 'ml_leaks',
  summary: 'A classifier on the top posteriors of shadow models (Salem et al.).',
  version: 1,
  settings: {
    shadows: { type: 'shadows', doc: 'The shadow models whose outputs train the attack classifier.' },
    top: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: 65_536, // as classes (LIMITS.units)
      default: 3,
      doc: 'How many of the largest posteriors are the features.',
    },
  },
  needsProbabilities: true,
  score: (ctx, s) => mlLeaksAttack(ctx, s.shadows, s.top, ctx.seed ?? 0),
});

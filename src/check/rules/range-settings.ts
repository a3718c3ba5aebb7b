/**
 * E117: fractions and other bounded settings of layers (a dropout rate in [0, 1)); a seed in [0, 2^32),
 * class labels at least 0. The settings of kinds (attacks, data, defenses) and of `train` (momentum,
 * l2, label smoothing, the early-stopping share), from their schemas: setting-bounds.ts.
 */
import { numberSettings } from '../../ml/layers/index.js';
import { dataRefs } from '../facts.js';
import { bounded } from './bounds.js';
import type { Rule } from './rule.js';

export const rangeSettings: Rule = {
  name: 'range-settings',
  codes: ['E117'],
  run(ctx) {
    const p = ctx.program;
    const e = p.experiment;
    if (e && (e.seed < 0 || e.seed > 2 ** 32 - 1))
      ctx.error('E117', `The seed must lie between 0 and 4294967295, not ${e.seed}.`, ctx.loc.of(e, 'seed'));
    for (const m of p.models) {
      m.layers.forEach((l, i) => {
        for (const { key, setting: s, value } of numberSettings(l))
          if (s.bound && s.bound !== 'atLeast1')
            bounded(ctx, 'E117', value, s.bound, m, `layers.${i}.${key}`, s.boundLabel ?? `The ${key} of ${l.kind}`);
      });
    }
    for (const { ref } of dataRefs(p)) {
      ref.ops.forEach((o, i) => {
        if (o.op === 'classes' && o.classes.some((c) => c < 0))
          ctx.error(
            'E117',
            `Class labels must be at least 0, not ${o.classes.find((c) => c < 0)}.`,
            ctx.loc.of(ref, `ops.${i}`),
          );
      });
    }
  },
};

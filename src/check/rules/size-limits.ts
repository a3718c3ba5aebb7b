/**
 * E118: sizes beyond what any run can do (src/kinds/size-limits.ts): a shadow count, layer width or
 * kernel size past its limit is almost always a typo (1e9 for 1e3), and would hang the planner or train
 * for years (epochs, batch, augmented queries and population sizes: setting-bounds.ts, from the schemas).
 */
import { trainedShadows } from '../../kinds/program.js';
import { fmtLimit, LIMITS } from '../../kinds/size-limits.js';
import { numberSettings } from '../../ml/layers/index.js';
import type { Rule, RuleContext } from './rule.js';

function atMost(ctx: RuleContext, v: number, max: number, def: object, field: string, what: string): void {
  if (v > max)
    ctx.error(
      'E118',
      `${what} is ${fmtLimit(v)}, more than mia allows (${fmtLimit(max)}).`,
      ctx.loc.of(def, field),
      'Check the number for a typo.',
    );
}

export const limits: Rule = {
  name: 'limits',
  codes: ['E118'],
  run(ctx) {
    const p = ctx.program;
    for (const s of trainedShadows(p.shadows))
      atMost(ctx, s.count, LIMITS.shadowCount, s, 'count', `The count of shadows "${s.name}"`);
    for (const m of p.models) {
      m.layers.forEach((l, i) => {
        for (const { setting, value } of numberSettings(l))
          if (setting.limit)
            atMost(
              ctx,
              value,
              setting.limit.max,
              m,
              `layers.${i}`,
              `The ${setting.limit.label} of layer ${i + 1} of model "${m.name}"`,
            );
      });
    }
  },
};

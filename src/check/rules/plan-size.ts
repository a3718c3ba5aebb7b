/**
 * E119: the plan as a whole past a limit (src/check/plan-measure.ts computes its size from the program):
 * sweep points, jobs, a model's training records, record passes of all training, augmented queries.
 * Each is refused with the quantity, how it is made, the limit and the setting to lower, before any work.
 */
import { fmtLimit } from '../../kinds/size-limits.js';
import { planExcess } from '../plan-measure.js';
import type { Rule } from './rule.js';

export const planSizeRule: Rule = {
  name: 'plan-size',
  codes: ['E119'],
  run(ctx) {
    for (const e of planExcess(ctx.program))
      ctx.error(
        'E119',
        `${e.message}, over the limit of ${fmtLimit(e.limit)}.`,
        ctx.loc.of(e.at, e.field) ?? ctx.loc.of(e.at),
        e.hint,
      );
  },
};

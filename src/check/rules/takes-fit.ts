/** E302: the `take`s of a dataset of known size must fit in it (each claims records no other take claims). */
import { dataRefs, fmtN, recordCount } from '../facts.js';
import type { Rule } from './rule.js';

export const takesFit: Rule = {
  name: 'takes-fit',
  codes: ['E302'],
  run(ctx) {
    const p = ctx.program;
    for (const ds of p.datasets) {
      const total = recordCount(ds.source);
      if (total === null) continue;
      let taken = 0;
      for (const { ref, role } of dataRefs(p)) {
        const op = ref.ops[0];
        if (ref.dataset !== ds.name || !op) continue;
        if (op.op === 'take') {
          taken += op.n;
          if (taken > total) {
            ctx.error(
              'E302',
              `Dataset "${ds.name}" has ${fmtN(total)} records, but its takes ask for ${fmtN(taken)}: ${role} takes ${fmtN(op.n)} after ${fmtN(taken - op.n)} already taken.`,
              ctx.loc.of(ref),
              'Take fewer records.',
            );
            return;
          }
        } else if (op.op === 'sample' && op.n > total) {
          ctx.error(
            'E302',
            `Dataset "${ds.name}" has ${fmtN(total)} records; ${role} samples ${fmtN(op.n)}.`,
            ctx.loc.of(ref),
            'Sample fewer records.',
          );
        }
      }
    }
  },
};

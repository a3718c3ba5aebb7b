/** E152: a `tpr@LEVEL` metric needs a false-positive rate strictly between 0% and 100%. */
import type { Rule } from './rule.js';

export const tprLevel: Rule = {
  name: 'tpr-level',
  run(ctx) {
    const rep = ctx.program.report;
    if (!rep) return;
    rep.metrics.forEach((m, i) => {
      if (m.kind !== 'tprAtFpr' || (m.fpr > 0 && m.fpr < 1)) return;
      ctx.error(
        'E152',
        `The FPR level of tpr@ must lie strictly between 0% and 100%, not ${+(m.fpr * 100).toPrecision(12)}%.`,
        ctx.loc.of(rep, `metrics.${i}`),
        'Write it as a percentage, e.g. tpr@0.1% or tpr@1%.',
      );
    });
  },
};

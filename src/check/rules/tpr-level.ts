/**
 * E152: a `tpr@LEVEL` metric needs a false-positive rate strictly between 0% and 100%.
 * W152: a level below 1/(non-members) allows no false positive at all (with 500 non-members the
 * smallest FPR above 0 is 0.2%), so the figure is TPR at zero false positives; said at the metric
 * where the non-member count is known at check (results.json flags it in every case).
 */
import { subsetSize } from '../facts.js';
import type { Rule, RuleContext } from './rule.js';

const pct = (v: number): string => `${+(v * 100).toPrecision(12)}%`;

/** The fewest non-members of any target, where every target's count is known statically. */
function fewestNonmembers(ctx: RuleContext): { n: number; target: string } | null {
  let best: { n: number; target: string } | null = null;
  for (const t of ctx.program.targets) {
    const s = subsetSize(ctx.program, t.nonmembers);
    if (s && (!best || s.n < best.n)) best = { n: s.n, target: t.name };
  }
  return best;
}

export const tprLevel: Rule = {
  name: 'tpr-level',
  codes: ['E152', 'W152'],
  run(ctx) {
    const rep = ctx.program.report;
    if (!rep) return;
    const few = fewestNonmembers(ctx);
    rep.metrics.forEach((m, i) => {
      if (m.kind !== 'tprAtFpr') return;
      if (m.fpr <= 0 || m.fpr >= 1)
        ctx.error(
          'E152',
          `The FPR level of tpr@ must lie strictly between 0% and 100%, not ${pct(m.fpr)}.`,
          ctx.loc.of(rep, `metrics.${i}`),
          'Write it as a percentage, e.g. tpr@0.1% or tpr@1%.',
        );
      // (a level only an expectation names is not in `metrics [...]`: results.json flags it)
      else if (few && few.n > 0 && m.fpr * few.n < 1 - 1e-9 && ctx.loc.fieldsOf(rep)[`metrics.${i}`])
        ctx.warn(
          'W152',
          `tpr@${pct(m.fpr)} is below 1/${few.n} = ${pct(1 / few.n)}, the smallest false-positive rate above 0 with the ${few.n} non-members of target "${few.target}": it is TPR at zero false positives there.`,
          ctx.loc.of(rep, `metrics.${i}`),
          `Use ${Math.ceil(1 / m.fpr)} or more non-members, or a level of at least ${pct(1 / few.n)}.`,
        );
    });
  },
};

/**
 * E260–E263: every expectation names a declared attack or target and one of its reported metrics
 * (did-you-mean on a near miss; `audit.…` needs an audit block). W260: an expectation that no value
 * of its metric can fail or hold (`lira.tpr@1% < 200%`, `loss.auc < 0`).
 */
import { decidedByRange, metricRange, resolveExpectation, type ExpectNames } from '../../kinds/expectations.js';
import { didYouMean } from '../../util/suggest.js';
import type { Rule, RuleContext } from './rule.js';

const declared = (ctx: RuleContext, kind: 'attack' | 'target'): string[] =>
  [...ctx.decls.values()].filter((d) => d.item.kind === kind).map((d) => d.item.name);

export const expectations: Rule = {
  name: 'expectations',
  codes: ['E260', 'E261', 'E262', 'E263', 'W260'],
  run(ctx) {
    const defs = ctx.program.report?.expectations ?? [];
    if (defs.length === 0) return;
    const names: ExpectNames = { attacks: declared(ctx, 'attack'), targets: declared(ctx, 'target'), audit: null };
    for (const def of defs) {
      const res = resolveExpectation(def, names, didYouMean);
      if (!res.ok) {
        const { code, message, hint, at } = res.problem;
        ctx.error(code, message, ctx.loc.of(def, at), hint);
        continue;
      }
      const { lo, hi, what } = metricRange(res.subject);
      const decided = decidedByRange(def.op, def.bound, lo, hi);
      if (decided === null) continue;
      ctx.warn(
        'W260',
        `The expectation ${def.text.length > 80 ? `${def.text.slice(0, 79)}…` : def.text} can never ${decided === 'never-fails' ? 'fail' : 'hold'}: ${what}.`,
        ctx.loc.of(def, 'bound'),
        'Percentages are fractions (2% = 0.02); check the bound and the comparison.',
      );
    }
  },
};

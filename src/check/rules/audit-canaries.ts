/**
 * E360: the report's audit names attacks of the experiment ("did you mean" on a near miss);
 * E361: an audit needs canaries on a target to compute its bounds from.
 */
import { didYouMean } from '../../util/suggest.js';
import type { Rule } from './rule.js';

export const auditCanaries: Rule = {
  name: 'audit-canaries',
  codes: ['E360', 'E361'],
  run(ctx) {
    const audit = ctx.program.report?.audit;
    if (!audit) return;
    const names = ctx.program.attacks.map((a) => a.name);
    audit.attacks.forEach((a, i) => {
      if (names.includes(a)) return;
      ctx.error(
        'E360',
        `The audit names the attack "${a}", which the experiment does not declare.${didYouMean(a, names)}`,
        ctx.loc.of(audit, `attacks.${i}`),
        names.length ? `Declared attacks: ${names.join(', ')}.` : 'Declare an attack first: attack loss = threshold.',
      );
    });
    if (ctx.program.targets.length && !ctx.program.targets.some((t) => t.canaries))
      ctx.error(
        'E361',
        'The report has an audit, but no target has canaries to audit with.',
        ctx.loc.of(audit),
        'Give the target canaries, e.g. canaries digits.take(1000), or remove the audit.',
      );
  },
};

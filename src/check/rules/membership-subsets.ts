/**
 * E304: `d.members` and `d.nonmembers` are the records a membership column marks, so the dataset must
 * name one (`csv("records.csv") { label: "y", membership: "member" }`); only a source with a
 * `membership` setting can.
 */
import { dataRefs } from '../facts.js';
import type { Rule } from './rule.js';

export const membershipSubsets: Rule = {
  name: 'membership-subsets',
  codes: ['E304'],
  run(ctx) {
    const p = ctx.program;
    for (const { ref, role } of dataRefs(p)) {
      const op = ref.ops[0]?.op;
      if (op !== 'members' && op !== 'nonmembers') continue;
      const ds = p.datasets.find((d) => d.name === ref.dataset);
      if (!ds || typeof ds.source.settings.membership === 'string') continue;
      const can = 'membership' in ds.source.settings;
      ctx.error(
        'E304',
        `${role[0]!.toUpperCase()}${role.slice(1)} are "${ds.name}.${op}", but dataset "${ds.name}" has no membership column${can ? '' : ` (a ${ds.source.kind} source has none)`}.`,
        ctx.loc.of(ref),
        can
          ? `Name it: ${ds.source.kind}(...) { membership: "column" }, a column of 1/0, true/false or member/nonmember.`
          : 'Give the records as a CSV with a membership column, or as two datasets: members train, nonmembers held_out.',
      );
    }
  },
};

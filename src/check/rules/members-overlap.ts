/**
 * E340: a target's members and non-members must not share records, or the attack is scored on records
 * that are both. Decided statically:
 * - two `take`s, or a `take` and `rest`, of one dataset are disjoint (each take claims fresh records);
 * - a `sample` draws from the whole dataset, so it may meet anything of that dataset;
 * - the whole dataset, `rest` twice, or `taken` and anything, overlap;
 * - `members` and `nonmembers` (a CSV's membership column) are disjoint; either beside a take, rest or
 *   sample of the same dataset may overlap it;
 * - class filters with no class in common make any two subsets disjoint;
 * - two datasets with the same source (two declarations of mnist) hold the same records, each in its
 *   own order, so any subsets of them may overlap.
 */
import type { DataRef, DatasetSource, TargetDef } from '../../kinds/program.js';
import type { Rule, RuleContext } from './rule.js';

const classesOf = (r: DataRef): Set<number> | null => {
  let out: Set<number> | null = null;
  for (const o of r.ops)
    if (o.op === 'classes') out = out ? new Set(o.classes.filter((c) => out!.has(c))) : new Set(o.classes);
  return out;
};

const sameSource = (a: DatasetSource, b: DatasetSource): boolean => JSON.stringify(a) === JSON.stringify(b);

function overlapReason(m: DataRef, n: DataRef): string | null {
  const cm = classesOf(m);
  const cn = classesOf(n);
  if (cm && cn && ![...cm].some((c) => cn.has(c))) return null;
  const a: string = m.ops[0]?.op ?? 'all';
  const b: string = n.ops[0]?.op ?? 'all';
  if (a === 'sample' || b === 'sample')
    return 'a sample(n) draws from the whole dataset, so it can pick records of the other set';
  if (a === 'all' || a === 'classes' || b === 'all' || b === 'classes') return 'one of them is the whole dataset';
  if (a === 'rest' && b === 'rest') return 'both are the rest of the same dataset';
  if (a === 'taken' || b === 'taken') return "taken holds every record the takes claim, the other set's among them";
  const marked = ['members', 'nonmembers'];
  if (marked.includes(a) || marked.includes(b)) {
    if (a !== b && marked.includes(a) && marked.includes(b)) return null; // the membership column's two sides
    return a === b
      ? `both are the ${a} of the membership column`
      : `the membership column's ${marked.includes(a) ? a : b} and a ${marked.includes(a) ? b : a} are drawn independently`;
  }
  return null; // take/take, take/rest: disjoint claims
}

/** E341: a target's canaries share no record with its members or non-members (each is IN or OUT by the draw alone). */
function canariesOverlap(ctx: RuleContext, t: TargetDef): void {
  const c = t.canaries;
  if (!c) return;
  for (const [set, role] of [
    [t.members, 'members'],
    [t.nonmembers, 'non-members'],
  ] as const) {
    const why = set.dataset === c.data.dataset ? overlapReason(set, c.data) : null;
    if (why)
      ctx.error(
        'E341',
        `The canaries of target "${t.name}" may share records with its ${role}: ${why}.`,
        ctx.loc.of(c, 'data'),
        `Take the canaries with take(n) too, e.g. canaries ${c.data.dataset}.take(1000).`,
      );
  }
}

export const membersOverlap: Rule = {
  name: 'members-overlap',
  codes: ['E340', 'E341'],
  run(ctx) {
    const p = ctx.program;
    for (const t of p.targets) {
      const m = t.members;
      const n = t.nonmembers;
      let why: string | null;
      if (m.dataset === n.dataset) why = overlapReason(m, n);
      else {
        const dm = p.datasets.find((d) => d.name === m.dataset);
        const dn = p.datasets.find((d) => d.name === n.dataset);
        why =
          dm && dn && sameSource(dm.source, dn.source)
            ? `"${dm.name}" and "${dn.name}" are the same data (${dm.source.kind}), each split on its own`
            : null;
        if (why) {
          const cm = classesOf(m);
          const cn = classesOf(n);
          if (cm && cn && ![...cm].some((c) => cn.has(c))) why = null;
        }
      }
      canariesOverlap(ctx, t);
      if (!why) continue;
      ctx.error(
        'E340',
        `The members and non-members of target "${t.name}" may share records: ${why}.`,
        ctx.loc.of(n),
        `Take both from one dataset with take(n), e.g. members ${m.dataset}.take(1000), nonmembers ${m.dataset}.take(1000).`,
      );
    }
  },
};

import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers.js';
import { membershipSubsets } from '../../../src/check/rules/membership-subsets.js';
import { membersOverlap } from '../../../src/check/rules/members-overlap.js';
import { ruleErrors } from '../harness.js';

const errorsOf = ruleErrors(membershipSubsets);
const overlapOf = ruleErrors(membersOverlap);

const withSets = (m: string, n: string, dataset = 'csv("r.csv") { label: "y", membership: "member" }'): string =>
  `${BASE.replace('members digits.take(100), nonmembers digits.take(100)', `members ${m}, nonmembers ${n}`)}dataset r = ${dataset}\n`;

describe('rule membership-subsets (E304)', () => {
  it('accepts d.members and d.nonmembers of a CSV with a membership column', () => {
    expect(errorsOf(withSets('r.members', 'r.nonmembers'), 'E304')).toEqual([]);
  });

  it('refuses them on a CSV without one, saying what to add, at the subset', () => {
    const ds = errorsOf(withSets('r.members', 'r.nonmembers', 'csv("r.csv") { label: "y" }'), 'E304');
    expect(ds.map((d) => d.message)).toEqual([
      'The members of target "victim" are "r.members", but dataset "r" has no membership column.',
      'The non-members of target "victim" are "r.nonmembers", but dataset "r" has no membership column.',
    ]);
    expect(ds[0]!.hint).toBe(
      'Name it: csv(...) { membership: "column" }, a column of 1/0, true/false or member/nonmember.',
    );
    expect(ds[0]!.range.start).toMatchObject({ line: 7, column: 36 });
  });

  it('refuses them on a source that has no columns (mnist)', () => {
    const [d] = errorsOf(withSets('digits.members', 'digits.take(100)'), 'E304');
    expect(d!.message).toBe(
      'The members of target "victim" are "digits.members", but dataset "digits" has no membership column (a mnist source has none).',
    );
  });
});

describe('rule members-overlap on membership subsets (E340)', () => {
  it('knows members and nonmembers of one column are disjoint', () => {
    expect(overlapOf(withSets('r.members', 'r.nonmembers'), 'E340')).toEqual([]);
  });

  it('reports the same side twice, and a side beside a take', () => {
    const [a] = overlapOf(withSets('r.members', 'r.members'), 'E340');
    expect(a!.message).toMatch(/may share records: both are the members of the membership column\.$/);
    const [b] = overlapOf(withSets('r.members', 'r.take(10)'), 'E340');
    expect(b!.message).toMatch(/the membership column's members and a take are drawn independently\.$/);
  });
});

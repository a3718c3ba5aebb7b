import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers.js';
import { membersOverlap } from '../../../src/check/rules/members-overlap.js';
import { ruleErrors } from '../harness.js';

/** membersOverlap's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(membersOverlap);

const withSets = (m: string, n: string, extra = ''): string =>
  BASE.replace('members digits.take(100), nonmembers digits.take(100)', `members ${m}, nonmembers ${n}`) + extra;

describe('rule members-overlap (E340)', () => {
  it('reports two samples, at the non-members', () => {
    const [d] = errorsOf(withSets('digits.sample(100)', 'digits.sample(100)'), 'E340');
    expect(d!.message).toBe(
      'The members and non-members of target "victim" may share records: a sample(n) draws from the whole dataset, so it can pick records of the other set.',
    );
    expect(d!.range.start).toMatchObject({ line: 7, column: 67 });
  });

  it('reports the whole dataset and rest twice', () => {
    expect(errorsOf(withSets('digits', 'digits.take(10)'), 'E340')[0]!.message).toContain(
      'one of them is the whole dataset',
    );
    expect(errorsOf(withSets('digits.rest', 'digits.rest'), 'E340')[0]!.message).toContain(
      'both are the rest of the same dataset',
    );
    expect(errorsOf(withSets('digits.take(10)', 'digits.taken'), 'E340')[0]!.message).toContain(
      'taken holds every record the takes claim',
    );
  });

  it('reports two declarations of the same source', () => {
    const src = withSets('digits.take(10)', 'again.take(10)', 'dataset again = mnist\n');
    expect(errorsOf(src, 'E340')[0]!.message).toContain(
      '"digits" and "again" are the same data (mnist), each split on its own',
    );
  });

  it('accepts fresh takes, a take and the rest, and disjoint classes', () => {
    expect(errorsOf(BASE, 'E340')).toEqual([]);
    expect(errorsOf(withSets('digits.take(10)', 'digits.rest'), 'E340')).toEqual([]);
    expect(errorsOf(withSets('digits.sample(10).classes([0])', 'digits.sample(10).classes([1])'), 'E340')).toEqual([]);
  });
});

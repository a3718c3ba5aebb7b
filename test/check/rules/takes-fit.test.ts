import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers.js';
import { takesFit } from '../../../src/check/rules/takes-fit.js';
import { ruleErrors } from '../harness.js';

/** takesFit's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(takesFit);

describe('rule takes-fit (E302)', () => {
  it('reports takes that exceed the dataset, at the take that overflows', () => {
    const src = BASE.replace('nonmembers digits.take(100)', 'nonmembers digits.take(9950)');
    const [d] = errorsOf(src, 'E302');
    expect(d!.message).toBe(
      'Dataset "digits" has 10,000 records, but its takes ask for 10,050: the non-members of target "victim" takes 9,950 after 100 already taken.',
    );
    expect(d!.range.start).toMatchObject({ line: 7, column: 65 });
  });
});

import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers.js';
import { shadowPoolSize } from '../../../src/check/rules/shadow-pool-size.js';
import { ruleErrors } from '../harness.js';

/** shadowPoolSize's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(shadowPoolSize);

describe('rule shadow-pool-size (E301)', () => {
  it('says the numbers when disjoint shadows do not fit in the pool', () => {
    const src = BASE.replace(
      'count 4, pool digits.rest, size 100',
      'count 20, pool digits.rest, size 300, sampling disjoint',
    );
    const [d, ...more] = errorsOf(src, 'E301');
    expect(more).toEqual([]);
    expect(d!.message).toBe(
      'The pool of shadows "refs" has 9,800 records (digits.rest: 10,000 records minus 200 taken), but 20 disjoint shadow models of size 300 need 12,000 (count × size, twice over for the held-out records).',
    );
    expect(d!.range.start).toMatchObject({ line: 8, column: 42 });
  });

  it('accepts the same shadows sampled overlapping, and checks one model against a take', () => {
    expect(errorsOf(BASE.replace('size 100', 'size 300'), 'E301')).toEqual([]);
    const src = BASE.replace('pool digits.rest, size 100', 'pool digits.take(150), size 100');
    expect(errorsOf(src, 'E301')[0]!.message).toBe(
      'The pool of shadows "refs" has 150 records (digits.take(150)), but each shadow model needs 200 (size 100 trained on, as many held out).',
    );
  });

  it('says nothing when the pool size is not known before loading (a csv file)', () => {
    const src = BASE.replace('dataset digits = mnist', 'dataset digits = csv("d.csv") { label: "y" }').replace(
      'size 100',
      'size 100000, sampling disjoint',
    );
    expect(errorsOf(src, 'E301')).toEqual([]);
  });
});

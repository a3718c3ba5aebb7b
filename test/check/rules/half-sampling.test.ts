import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers.js';
import { halfSampling } from '../../../src/check/rules/half-sampling.js';
import { ruleErrors } from '../harness.js';

/** halfSampling's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(halfSampling);

describe('rule half-sampling (E303)', () => {
  it('wants an even count', () => {
    const src = BASE.replace('count 4, pool digits.rest, size 100', 'count 3, pool digits.rest, sampling half');
    const [d] = errorsOf(src, 'E303');
    expect(d!.message).toBe('Shadows "refs" are sampled half, which needs an even count of at least 2, not 3.');
    expect(d!.range.start).toMatchObject({ line: 8, column: 33 });
  });
});

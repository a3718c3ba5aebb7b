import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers.js';
import { limits } from '../../../src/check/rules/size-limits.js';
import { ruleErrors } from '../harness.js';
import { settingBounds } from '../../../src/check/rules/setting-bounds.js';
import { errorsOf as checkErrors } from '../helpers.js';

/** limits's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(limits);
/** The bounds from every kind's settings schema are setting-bounds' (which shares the code). */
const boundsErrors = ruleErrors(settingBounds);

describe('rule limits (E118)', () => {
  it('reports a shadow count past the limit, at the count, naming both numbers', () => {
    const [d] = errorsOf(BASE.replace('count 4', 'count 1e9'), 'E118');
    expect(d!.message).toBe('The count of shadows "refs" is 1,000,000,000, more than mia allows (4,096).');
    expect(d!.range.start).toMatchObject({ line: 8, column: 33 });
  });

  it('reports epochs and layer widths past the limit', () => {
    // the training settings' limits come from their schema (src/ml/train-settings/), checked by setting-bounds
    expect(boundsErrors(BASE.replace('epochs: 2', 'epochs: 1e9'), 'E118')[0]!.message).toContain(
      'The epochs of model "mlp" is 1,000,000,000',
    );
    expect(errorsOf(BASE.replace('dense(16, relu)', 'dense(1e9, relu)'), 'E118')[0]!.message).toContain(
      'The width of layer 1 of model "mlp"',
    );
  });

  it('accepts ordinary sizes, and a sweep cannot reach past the limit either', () => {
    expect(errorsOf(BASE, 'E118')).toEqual([]);
    expect(boundsErrors(BASE, 'E118')).toEqual([]);
    const [s] = checkErrors(`${BASE}sweep { refs.count in [2, 1e9] }\n`, 'E603');
    expect(s!.message).toContain('must lie between 1 and 4096, not 1000000000');
  });

  it('every count of a defense or attack has a limit in its schema, checked at the value', () => {
    const tgt = (d: string) =>
      BASE.replace('nonmembers digits.take(100) }', `nonmembers digits.take(100), defenses [${d}] }`);
    for (const [src, text] of [
      [tgt('rounding(400)'), 'The decimals of rounding is 400, more than mia allows (15).'],
      [tgt('top_k(1e9)'), 'The k of top_k is 1,000,000,000, more than mia allows (65,536).'],
      [tgt('memguard { reference: 1e12 }'), 'The reference of memguard is 1,000,000,000,000'],
      [tgt('adversarial_regularization(1, steps: 1e9)'), 'The steps of adversarial_regularization is 1,000,000,000'],
      [`${BASE}attack ml = ml_leaks { shadows: refs, top: 1e9 }\n`, 'The top of ml_leaks "ml" is 1,000,000,000'],
    ] as const) {
      const [d] = boundsErrors(src, 'E118');
      expect(d?.message, src.split('\n').at(-2)).toContain(text);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { BASE, errorsOf } from '../helpers.js';

describe('rule limits (E118)', () => {
  it('reports a shadow count past the limit, at the count, naming both numbers', () => {
    const [d] = errorsOf(BASE.replace('count 4', 'count 1e9'), 'E118');
    expect(d!.message).toBe('The count of shadows "refs" is 1,000,000,000, more than mia allows (4,096).');
    expect(d!.range.start).toMatchObject({ line: 8, column: 33 });
  });

  it('reports epochs and layer widths past the limit', () => {
    expect(errorsOf(BASE.replace('epochs: 2', 'epochs: 1e9'), 'E118')[0]!.message).toContain(
      'The epochs of model "mlp" is 1,000,000,000',
    );
    expect(errorsOf(BASE.replace('dense(16, relu)', 'dense(1e9, relu)'), 'E118')[0]!.message).toContain(
      'The width of layer 1 of model "mlp"',
    );
  });

  it('accepts ordinary sizes, and a sweep cannot reach past the limit either', () => {
    expect(errorsOf(BASE, 'E118')).toEqual([]);
    const [s] = errorsOf(`${BASE}sweep { refs.count in [2, 1e9] }\n`, 'E603');
    expect(s!.message).toContain('must lie between 1 and 4096, not 1000000000');
  });
});

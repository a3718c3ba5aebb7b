import { describe, expect, it } from 'vitest';
import { BASE, errorsOf, pos } from '../helpers.js';

describe('rule range-settings (E117)', () => {
  it('reports a dropout rate of 1 and a momentum above 1', () => {
    const src = BASE.replace('dense(16, relu),', 'dense(16, relu), dropout(1),').replace(
      'adam(0.01)',
      'sgd(0.1, momentum: 1.5)',
    );
    const ds = errorsOf(src, 'E117');
    expect(ds.map((d) => [d.message, d.range.start.line, d.range.start.column])).toEqual([
      ['The dropout rate must be at least 0 and below 1, not 1.', 4, 36],
      ['The momentum must be at least 0 and below 1, not 1.5.', 5, 41],
    ]);
  });

  it('reports a DP delta outside (0, 1)', () => {
    const src = BASE.replace(
      'nonmembers digits.take(100) }',
      'nonmembers digits.take(100), defenses [dp_sgd { noise: 1, clip: 1, delta: 2 }] }',
    );
    const [d] = errorsOf(src, 'E117');
    expect(d!.message).toBe('The delta of dp_sgd must be strictly between 0 and 1, not 2.');
    expect(d!.range.start).toMatchObject(pos(src, '2 }]'));
  });
});

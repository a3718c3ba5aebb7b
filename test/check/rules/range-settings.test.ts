import { describe, expect, it } from 'vitest';
import { BASE, check, pos } from '../helpers.js';
import { rangeSettings } from '../../../src/check/rules/range-settings.js';
import { ruleErrors } from '../harness.js';
import { settingBounds } from '../../../src/check/rules/setting-bounds.js';

/** rangeSettings's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(rangeSettings);
/** The bounds from every kind's settings schema are setting-bounds' (which shares the code). */
const boundsErrors = ruleErrors(settingBounds);

describe('rule range-settings (E117)', () => {
  it('reports a dropout rate of 1 and a momentum above 1', () => {
    const src = BASE.replace('dense(16, relu),', 'dense(16, relu), dropout(1),').replace(
      'adam(0.01)',
      'sgd(0.1, momentum: 1.5)',
    );
    const ds = [...errorsOf(src, 'E117'), ...boundsErrors(src, 'E117')];
    expect(ds.map((d) => [d.message, d.range.start.line, d.range.start.column])).toEqual([
      ['The dropout rate must be at least 0 and below 1, not 1.', 4, 36],
      // the training settings' bounds come from their schema (src/ml/train-settings/), checked by setting-bounds
      ['The momentum of model "mlp" must be at least 0 and below 1, not 1.5.', 5, 41],
    ]);
  });

  it('reports a DP delta outside (0, 1)', () => {
    const src = BASE.replace(
      'nonmembers digits.take(100) }',
      'nonmembers digits.take(100), defenses [dp_sgd { noise: 1, clip: 1, delta: 2 }] }',
    );
    const [d] = boundsErrors(src, 'E117');
    expect(d!.message).toBe('The delta of dp_sgd must be strictly between 0 and 1, not 2.');
    expect(d!.range.start).toMatchObject(pos(src, '2 }]'));
  });
});

describe('synthetic_purchase flip and density (E117)', () => {
  const spec = (settings: string) =>
    BASE.replace(
      'dataset digits = mnist',
      `dataset digits = synthetic_purchase { records: 600, features: 20, classes: 4${settings} }`,
    );

  it('reports a flip of 0.5 or more and a density of 0 or 1 at the value', () => {
    const src = spec(', flip: 0.5, density: 1');
    const ds = boundsErrors(src, 'E117');
    expect(ds.map((d) => d.message)).toEqual([
      'The flip of synthetic_purchase "digits" must be at least 0 and below 0.5, not 0.5.',
      'The density of synthetic_purchase "digits" must be strictly between 0 and 1, not 1.',
    ]);
    expect(ds[0]!.range.start).toMatchObject(pos(src, '0.5, density'));
    expect(ds[1]!.range.start).toMatchObject(pos(src, '1 }', src.indexOf('density')));
    expect(boundsErrors(spec(', flip: -0.1'), 'E117').map((d) => d.message)).toEqual([
      'The flip of synthetic_purchase "digits" must be at least 0 and below 0.5, not -0.1.',
    ]);
  });

  it('accepts flips below 0.5, percentages, and no setting at all', () => {
    for (const s of ['', ', flip: 0', ', flip: 0.49, density: 0.05', ', flip: 35%'])
      expect(check(spec(s)).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a sweep over flip refuses a value above 0.5 and reports 0.5 at its point', () => {
    const over = check(`${spec('')}sweep { digits.flip in [0.1, 0.6] }\n`).filter((d) => d.severity === 'error');
    expect(over.map((d) => d.message).join('\n')).toMatch(/0\.6/);
    const half = check(`${spec('')}sweep { digits.flip in [0.1, 0.5] }\n`).filter((d) => d.severity === 'error');
    expect(half.map((d) => d.message).join('\n')).toMatch(/flip .*below 0\.5, not 0\.5/);
  });
});

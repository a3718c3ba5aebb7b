import { describe, expect, it } from 'vitest';
import { BASE, pos } from '../helpers.js';
import { positiveSettings } from '../../../src/check/rules/positive-settings.js';
import { ruleErrors } from '../harness.js';
import { settingBounds } from '../../../src/check/rules/setting-bounds.js';

/** positiveSettings's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(positiveSettings);
/** The bounds from every kind's settings schema are setting-bounds' (which shares the code). */
const boundsErrors = ruleErrors(settingBounds);

describe('rule positive-settings (E111)', () => {
  it('reports zero epochs and a negative batch at their values (from the training settings schema)', () => {
    const src = BASE.replace('epochs: 2, batch: 32', 'epochs: 0, batch: -8');
    const ds = boundsErrors(src, 'E111');
    expect(ds.map((d) => [d.message, d.range.start.line, d.range.start.column])).toEqual([
      ['The epochs of model "mlp" must be at least 1, not 0.', 5, 42],
      ['The batch of model "mlp" must be at least 1, not -8.', 5, 52],
    ]);
  });

  it('reports a zero learning rate, early-stopping patience and gradient clip, naming the model', () => {
    const src = BASE.replace(
      'epochs: 2, batch: 32',
      'epochs: 2, batch: 32, early_stopping: { patience: 0 }, grad_clip: 0',
    ).replace('adam(0.01)', 'adam(0)');
    expect(boundsErrors(src, 'E111').map((d) => d.message)).toEqual([
      'The learning rate of model "mlp" must be greater than 0, not 0.',
      'The early-stopping patience of model "mlp" must be at least 1, not 0.',
      'The grad_clip of model "mlp" must be greater than 0, not 0.',
    ]);
  });

  it('reports non-positive DP-SGD noise and clip', () => {
    const src = BASE.replace(
      'nonmembers digits.take(100) }',
      'nonmembers digits.take(100), defenses [dp_sgd { noise: 0, clip: -1 }] }',
    );
    const ds = boundsErrors(src, 'E111');
    expect(ds.map((d) => d.message)).toEqual([
      'The noise of dp_sgd must be greater than 0, not 0.',
      'The clip of dp_sgd must be greater than 0, not -1.',
    ]);
    expect(ds[0]!.range.start).toMatchObject(pos(src, '0, clip'));
    expect(ds[1]!.range.start).toMatchObject(pos(src, '-1 }'));
  });

  it('reports a zero shadow count and take', () => {
    const src = BASE.replace('count 4', 'count 0').replace('members digits.take(100)', 'members digits.take(0)');
    const ds = errorsOf(src, 'E111');
    expect(ds.map((d) => d.message)).toEqual([
      'The number of records to take must be at least 1, not 0.',
      'The shadow count must be at least 1, not 0.',
    ]);
    expect(ds[1]!.range.start).toMatchObject({ line: 8, column: 33 });
  });
});

import { describe, expect, it } from 'vitest';
import { BASE, pos } from '../helpers.js';
import { knownNames } from '../../../src/check/rules/known-names.js';
import { ruleErrors } from '../harness.js';

/** knownNames's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(knownNames);

describe('rule known-names (E202)', () => {
  it('reports an unknown model with a suggestion', () => {
    const src = BASE.replace('target victim { model mlp', 'target victim { model mpl');
    const [d] = errorsOf(src, 'E202');
    expect(d!.message).toBe('Unknown model "mpl". Did you mean "mlp"?');
    expect(d!.range.start).toMatchObject({ line: 7, column: 23 });
  });

  it('reports an unknown dataset in a subset', () => {
    const src = BASE.replace('pool digits.rest', 'pool digts.rest');
    const [d] = errorsOf(src, 'E202');
    expect(d!.message).toBe('Unknown dataset "digts". Did you mean "digits"?');
    expect(d!.range.start).toMatchObject(pos(src, 'digts'));
  });

  it('says when a name is of another kind', () => {
    const src = `${BASE}attack s = shadow_model { shadows: mlp }\n`;
    const [d] = errorsOf(src, 'E202');
    expect(d!.message).toBe('"mlp" is a model, not a shadows.');
    expect(d!.range.start).toMatchObject({ line: 10, column: 36 });
  });

  it('resolves names from imported files', () => {
    const src = `import "lib/common.mia"\n${BASE.replace('dataset digits = mnist\n', '')}`;
    expect(errorsOf(src, 'E202', { 'lib/common.mia': 'dataset digits = mnist\n' })).toEqual([]);
    expect(errorsOf(src, 'E202').length).toBeGreaterThan(0);
  });
});

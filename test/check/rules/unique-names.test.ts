import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers.js';
import { uniqueNames } from '../../../src/check/rules/unique-names.js';
import { ruleErrors } from '../harness.js';

/** uniqueNames's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(uniqueNames);

describe('rule unique-names (E201)', () => {
  it('reports a name declared twice, at the second declaration', () => {
    const src = `${BASE}model digits { layers [dense(1)], train { epochs: 1 } }\n`;
    const [d, ...more] = errorsOf(src, 'E201');
    expect(more).toEqual([]);
    expect(d!.message).toBe('The name "digits" is declared twice: a dataset "digits" is declared at line 2.');
    expect(d!.range.start).toMatchObject({ line: 10, column: 7 });
  });

  it('counts declarations of imported files', () => {
    const src = `import "lib.mia"\n${BASE}`;
    const [d] = errorsOf(src, 'E201', { 'lib.mia': 'dataset digits = mnist\n' });
    expect(d!.message).toBe('The name "digits" is declared twice: another dataset "digits" is declared at spec.mia:3.');
    expect(d!.file).toBe('lib.mia');
    expect(d!.range.start).toMatchObject({ line: 1, column: 9 });
  });
});

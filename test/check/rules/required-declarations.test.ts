import { describe, expect, it } from 'vitest';
import { BASE, check } from '../helpers.js';
import { requiredDeclarations } from '../../../src/check/rules/required-declarations.js';
import { ruleErrors } from '../harness.js';

/** requiredDeclarations's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(requiredDeclarations);

describe('rule required-declarations (E203-E206)', () => {
  it('wants an experiment header when the file has targets or attacks', () => {
    const src = BASE.replace('experiment t { seed 1 }\n', '');
    const [d] = errorsOf(src, 'E203');
    expect(d!.message).toBe('The file has no experiment declaration.');
    expect(d!.range.start).toMatchObject({ line: 1, column: 1 });
  });

  it('wants a target and an attack', () => {
    const src = 'experiment t\ndataset d = mnist\n';
    expect(errorsOf(src, 'E204')[0]).toMatchObject({
      message: 'The experiment declares no target.',
      range: { start: { line: 3, column: 1 } },
    });
    expect(errorsOf(src, 'E205')[0]!.message).toBe('The experiment declares no attack.');
  });

  it('reports a second experiment and a second report', () => {
    const src = `${BASE}experiment u\nreport { metrics [auc] }\nreport { metrics [auc] }\n`;
    const ds = errorsOf(src, 'E206');
    expect(ds.map((d) => [d.message, d.range.start.line, d.range.start.column])).toEqual([
      ['There is more than one experiment declaration.', 10, 1],
      ['There is more than one report declaration.', 12, 1],
    ]);
  });

  it('accepts a library of declarations (no experiment, no target, no attack)', () => {
    expect(check('dataset d = mnist\nmodel m { layers [dense(classes)], train { epochs: 1 } }\n')).toEqual([]);
  });
});

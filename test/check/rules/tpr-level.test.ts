import { describe, expect, it } from 'vitest';
import { BASE, errorsOf } from '../helpers.js';

describe('rule tpr-level (E152)', () => {
  it('reports levels of 0% and 100% or more, at the level', () => {
    const src = `${BASE}report { metrics [auc, tpr@0%, tpr@1%, tpr@150%] }\n`;
    const ds = errorsOf(src, 'E152');
    expect(ds.map((d) => [d.message, d.range.start.line, d.range.start.column])).toEqual([
      ['The FPR level of tpr@ must lie strictly between 0% and 100%, not 0%.', 10, 28],
      ['The FPR level of tpr@ must lie strictly between 0% and 100%, not 150%.', 10, 44],
    ]);
  });

  it('reads a bare number as a fraction: tpr@1 is 100%', () => {
    const [d] = errorsOf(`${BASE}report { metrics [tpr@1] }\n`, 'E152');
    expect(d!.message).toContain('not 100%');
  });
});

import { describe, expect, it } from 'vitest';
import { loadSource } from '../../../src/cli/load.js';
import { BASE } from '../helpers.js';
import { tprLevel } from '../../../src/check/rules/tpr-level.js';
import { ruleErrors } from '../harness.js';
import { errorsOf as checkErrors } from '../helpers.js';

/** tprLevel's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(tprLevel);

describe('rule tpr-level (E152)', () => {
  it('reports levels of 0% and 100% or more, at the level', () => {
    const src = `${BASE}report { metrics [auc, tpr@0%, tpr@1%, tpr@150%] }\n`;
    const ds = errorsOf(src, 'E152');
    expect(ds.map((d) => [d.message, d.range.start.line, d.range.start.column])).toEqual([
      ['The FPR level of tpr@ must lie strictly between 0% and 100%, not 0%.', 10, 28],
      ['The FPR level of tpr@ must lie strictly between 0% and 100%, not 150%.', 10, 44],
    ]);
  });

  it('refuses a level without %, suggesting both readings (E154)', () => {
    const [d] = checkErrors(`${BASE}report { metrics [auc, tpr@0.5] }\n`, 'E154');
    expect(d).toMatchObject({ range: { start: { line: 10, column: 28 } } });
    expect(d!.hint).toBe('Write tpr@0.5% for 0.5% FPR, or tpr@50% for 50%.');
    expect(checkErrors(`${BASE}report { metrics [tpr@0.5%] }\n`, 'E154')).toEqual([]);
  });

  it('warns about a metric listed twice (W150) and reports it once', () => {
    const l = loadSource('t.mia', `${BASE}report { metrics [auc, tpr@1%, auc, tpr@1.0%] }\n`);
    const ws = l.diagnostics.filter((d) => d.code === 'W150');
    expect(ws.map((d) => [d.message, d.range.start.column])).toEqual([
      ['The metric auc is listed twice; it is reported once.', 32],
      ['The metric tpr@1% is listed twice; it is reported once.', 37],
    ]);
    expect(l.program?.report.metrics).toEqual([{ kind: 'auc' }, { kind: 'tprAtFpr', fpr: 0.01 }]);
  });

  it('warns at a level below 1/(non-members): TPR at zero false positives (W152), at the level', () => {
    // 100 non-members: 1% is the smallest FPR above 0
    const ds = errorsOf(`${BASE}report { metrics [auc, tpr@0.1%, tpr@1%, tpr@0.5%] }\n`, 'W152');
    expect(ds.map((d) => [d.severity, d.range.start.column])).toEqual([
      ['warning', 28],
      ['warning', 46],
    ]);
    expect(ds[0]!.message).toBe(
      'tpr@0.1% is below 1/100 = 1%, the smallest false-positive rate above 0 with the 100 non-members of target "victim": it is TPR at zero false positives there.',
    );
    expect(ds[0]!.hint).toBe('Use 1000 or more non-members, or a level of at least 1%.');
    const many = BASE.replace('nonmembers digits.take(100)', 'nonmembers digits.take(1000)');
    expect(errorsOf(`${many}report { metrics [tpr@0.1%] }\n`, 'W152')).toEqual([]);
    expect(errorsOf(`${many}report { metrics [tpr@0.01%] }\n`, 'W152')).toHaveLength(1);
  });
});

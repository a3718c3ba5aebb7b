import { describe, expect, it } from 'vitest';
import { loadSource } from '../../../src/cli/load.js';
import { expectations } from '../../../src/check/rules/expectations.js';
import { checkRule } from '../harness.js';
import { BASE, check, memoryHost, pos } from '../helpers.js';

/** The expectations rule's diagnostics of one code, from the one-rule harness: message, line, column. */
const at = (src: string, code: string) =>
  checkRule(expectations, src)
    .filter((d) => d.code === code)
    .map((d) => [d.message, d.range.start.line, d.range.start.column]);

describe('rule expectations (E260–E263, W260)', () => {
  it('accepts metrics of attacks and targets, intervals and percentages, with no diagnostic', () => {
    const src = `${BASE}report {
  metrics [auc]
  expect { loss.tpr@0.1% < 2%, loss.auc <= 0.6, victim.test_accuracy >= 85%, loss.auc.ci.upper < 0.7 }
}
expect { loss.tpr@1%.ci.lower > 0.001, victim.generalization_gap < 10%; loss.advantage < 0.5 }
`;
    expect(check(src)).toEqual([]);
    const { program } = loadSource('spec.mia', src, memoryHost({}));
    const ex = program!.report.expectations!;
    expect(ex.map((e) => [e.text, e.bound])).toEqual([
      ['loss.tpr@0.1% < 2%', 0.02],
      ['loss.auc <= 0.6', 0.6],
      ['victim.test_accuracy >= 85%', 0.85],
      ['loss.auc.ci.upper < 0.7', 0.7],
      ['loss.tpr@1%.ci.lower > 0.001', 0.001],
      ['victim.generalization_gap < 10%', 0.1],
      ['loss.advantage < 0.5', 0.5],
    ]);
    // the levels an expectation names are computed even when metrics does not list them
    expect(program!.report.metrics).toEqual([
      { kind: 'auc' },
      { kind: 'tprAtFpr', fpr: 0.001 },
      { kind: 'tprAtFpr', fpr: 0.01 },
    ]);
  });

  it('reports an unknown attack or target at its name, with did-you-mean', () => {
    const src = `${BASE}report { expect { los.auc < 0.6 } }\n`;
    expect(at(src, 'E260')).toEqual([
      [
        'Unknown attack or target "los" in the expectation los.auc < 0.6. Did you mean "loss"?',
        pos(src, 'los.').line,
        pos(src, 'los.').column,
      ],
    ]);
  });

  it('reports unknown metrics of attacks and of targets, with did-you-mean, at the metric', () => {
    const src = `${BASE}expect { loss.acu < 0.6, victim.test_acuracy > 0.5, loss.tpr < 1%, loss.tpr@0% < 1% }\n`;
    expect(at(src, 'E261')).toEqual([
      [
        'Unknown metric "acu" of the attack "loss" in loss.acu < 0.6. Did you mean "auc"?',
        pos(src, 'loss.acu').line,
        pos(src, 'loss.acu').column,
      ],
      [
        'Unknown metric "test_acuracy" of the target "victim" in victim.test_acuracy > 0.5. Did you mean "test_accuracy"?',
        10,
        pos(src, 'victim.test').column,
      ],
      ['tpr needs a false-positive-rate level in loss.tpr < 1%: tpr@1%.', 10, pos(src, 'loss.tpr <').column],
      [
        'The FPR level of tpr@ must lie strictly between 0% and 100%, not 0%, in loss.tpr@0% < 1%.',
        10,
        pos(src, 'loss.tpr@0%').column,
      ],
    ]);
  });

  it('allows intervals only on auc and tpr@ levels, and only .ci.lower or .ci.upper', () => {
    const src = `${BASE}expect { loss.advantage.ci.upper < 0.5, loss.auc.ci.middle < 0.5 }\n`;
    expect(at(src, 'E262').map((d) => d[0])).toEqual([
      'advantage has no confidence interval (loss.advantage.ci.upper < 0.5); intervals exist for auc and tpr@ levels.',
    ]);
    expect(at(src, 'E261').map((d) => d[0])).toEqual([
      'After auc only .ci.lower or .ci.upper may follow, in loss.auc.ci.middle < 0.5.',
    ]);
  });

  it('accepts the audit syntax but says an audit block is needed', () => {
    const src = `${BASE}expect { audit.loss.one_run <= 4 }\n`;
    const [d] = checkRule(expectations, src).filter((x) => x.code === 'E263');
    expect(d!.message).toBe(
      'The expectation audit.loss.one_run <= 4 needs an audit block, and this experiment has none.',
    );
    expect(d!.hint).toContain('mia audit --scores');
    expect(d!.range.start).toMatchObject(pos(src, 'audit.'));
  });

  it('refuses a bound that is not a number, and an expect entry without comparisons', () => {
    expect(check(`${BASE}expect { loss.auc < high }\n`).map((d) => [d.code, d.message])).toEqual([
      ['E110', 'The bound of an expectation must be a number or a percentage.'],
    ]);
    expect(check(`${BASE}report { expect 3 }\n`).map((d) => d.code)).toEqual(['E260']);
  });

  it('warns about expectations that can never fail or never hold, at the bound', () => {
    const src = `${BASE}expect {
  loss.tpr@1% < 200%
  loss.auc < 0
  loss.auc <= 1
  loss.balanced_accuracy >= 0.4
  victim.test_accuracy > 100%
  victim.vulnerability < 1000
  loss.auc < 0.6
}
`;
    const ws = checkRule(expectations, src).filter((d) => d.severity === 'warning');
    expect(ws.map((d) => [d.code, d.message, d.range.start.line])).toEqual([
      ['W260', 'The expectation loss.tpr@1% < 200% can never fail: a TPR lies between 0% and 100%.', 11],
      ['W260', 'The expectation loss.auc < 0 can never hold: an AUC lies between 0% and 100%.', 12],
      ['W260', 'The expectation loss.auc <= 1 can never fail: an AUC lies between 0% and 100%.', 13],
      [
        'W260',
        'The expectation loss.balanced_accuracy >= 0.4 can never fail: the best balanced accuracy over thresholds lies between 50% and 100%.',
        14,
      ],
      ['W260', 'The expectation victim.test_accuracy > 100% can never hold: an accuracy lies between 0% and 100%.', 15],
    ]);
    expect(ws[0]!.range.start.column).toBe(pos(src, '200%').column);
  });

  it('reads a metric path of any length without recursing, and quotes it cut short', () => {
    const ds = check(`${BASE}expect { loss${'.a'.repeat(20000)} < 1 }\n`);
    expect(ds.map((d) => d.code)).toEqual(['E261']);
    expect(ds[0]!.message.length).toBeLessThan(200);
    expect(ds[0]!.message).toContain('loss.a.a.a');
  });
});

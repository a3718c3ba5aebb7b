import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { formatMetricName, parseMetricName, type MetricName } from '../../src/metrics/index.js';

describe('parseMetricName', () => {
  it('parses the names of the spec language', () => {
    expect(parseMetricName('auc')).toEqual({ kind: 'auc' });
    expect(parseMetricName('balanced_accuracy')).toEqual({ kind: 'balancedAccuracy' });
    expect(parseMetricName('advantage')).toEqual({ kind: 'advantage' });
    expect(parseMetricName('precision')).toEqual({ kind: 'precision' });
    expect(parseMetricName('recall')).toEqual({ kind: 'recall' });
  });
  it('reads tpr@P% as an FPR of P/100, equal to the decimal literal', () => {
    expect(parseMetricName('tpr@0.1%')).toEqual({ kind: 'tprAtFpr', fpr: 0.001 });
    expect(parseMetricName('tpr@1%')).toEqual({ kind: 'tprAtFpr', fpr: 0.01 });
    expect(parseMetricName('tpr@10%')).toEqual({ kind: 'tprAtFpr', fpr: 0.1 });
    expect(parseMetricName('tpr@0.01%')).toEqual({ kind: 'tprAtFpr', fpr: 0.0001 });
    expect(parseMetricName('tpr@.5%')).toEqual({ kind: 'tprAtFpr', fpr: 0.005 });
    expect(parseMetricName('tpr@100%')).toEqual({ kind: 'tprAtFpr', fpr: 1 });
    expect(parseMetricName('tpr@0%')).toEqual({ kind: 'tprAtFpr', fpr: 0 });
  });
  it('returns null for anything else', () => {
    for (const name of [
      'AUC',
      'accuracy',
      'tpr',
      'tpr@',
      'tpr@%',
      'tpr@0.1',
      'tpr@101%',
      'tpr@-1%',
      'tpr@1e-3%',
      'tpr @1%',
      'tpr@1%%',
      'balanced-accuracy',
      'toString',
      '__proto__',
      'constructor',
      '',
    ]) {
      expect(parseMetricName(name), name).toBeNull();
    }
  });
});

describe('formatMetricName', () => {
  it('writes the spec names', () => {
    expect(formatMetricName({ kind: 'tprAtFpr', fpr: 0.001 })).toBe('tpr@0.1%');
    expect(formatMetricName({ kind: 'tprAtFpr', fpr: 1e-7 })).toBe('tpr@0.00001%');
    expect(formatMetricName({ kind: 'tprAtFpr', fpr: 1 })).toBe('tpr@100%');
    expect(formatMetricName({ kind: 'balancedAccuracy' })).toBe('balanced_accuracy');
  });
  it('round-trips through parseMetricName', () => {
    const metric: fc.Arbitrary<MetricName> = fc.oneof(
      fc.constantFrom<MetricName>(
        { kind: 'auc' },
        { kind: 'balancedAccuracy' },
        { kind: 'advantage' },
        { kind: 'precision' },
        { kind: 'recall' },
      ),
      fc.double({ min: 0, max: 1, noNaN: true }).map((fpr): MetricName => ({ kind: 'tprAtFpr', fpr: fpr + 0 })),
    );
    fc.assert(
      fc.property(metric, (m) => {
        expect(parseMetricName(formatMetricName(m))).toEqual(m);
      }),
    );
  });
});

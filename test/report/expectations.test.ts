import { describe, expect, it } from 'vitest';
import { loadSource } from '../../src/cli/load.js';
import {
  allHold,
  evaluateExpectations,
  expectationsHtml,
  expectationsTable,
  resultsTable,
  withVerdicts,
  type AttackResult,
  type ResultsJson,
  type RunResult,
} from '../../src/report/index.js';
import { BASE, memoryHost } from '../check/helpers.js';

/** A run with the given AUC, TPR@0.1% (interval ±0.01) and test accuracy; a hand-made results object. */
function run(params: Record<string, number>, auc: number, tpr: number, testAccuracy: number): RunResult {
  const attack: AttackResult = {
    name: 'loss',
    kind: 'threshold',
    metrics: {
      auc,
      tprAtFpr: { '0.001': tpr, '0.01': 0.1, '0.1': 0.3 },
      balancedAccuracy: 0.6,
      advantage: 0.2,
      threshold: 0,
      precision: 0.6,
      recall: 0.5,
      ci: { auc: [auc - 0.05, auc + 0.05], tprAtFpr: { '0.001': [tpr - 0.01, tpr + 0.01] } },
    },
    perClass: [],
    samples: { record: [], label: [], score: [], member: [] },
  };
  const target = {
    name: 'victim',
    trainAccuracy: 1,
    testAccuracy,
    generalizationGap: 1 - testAccuracy,
    trainLoss: 0.01,
    testLoss: 0.5,
    vulnerability: null,
  };
  return { params, target, attacks: [attack] };
}

const results = (runs: RunResult[]): ResultsJson => ({ experiment: 't', seed: 1, backend: 'wasm', mia: '0', runs });

function programWith(expectations: string) {
  const { program, diagnostics } = loadSource('spec.mia', `${BASE}expect { ${expectations} }\n`, memoryHost({}));
  expect(diagnostics).toEqual([]);
  return program!;
}

describe('evaluating expectations', () => {
  it('judges point values, interval ends and target metrics, percentages as fractions', () => {
    const p = programWith(
      'loss.tpr@0.1% < 2%, loss.auc <= 0.6, victim.test_accuracy >= 85%, loss.auc.ci.upper < 0.6, loss.tpr@0.1%.ci.lower > 0.01',
    );
    const r = results([run({}, 0.58, 0.015, 0.9)]);
    const v = evaluateExpectations(p.report.expectations!, p, r);
    expect(v.map((x) => [x.expectation, x.holds, +x.points[0]!.value!.toFixed(9)])).toEqual([
      ['loss.tpr@0.1% < 2%', true, 0.015],
      ['loss.auc <= 0.6', true, 0.58],
      ['victim.test_accuracy >= 85%', true, 0.9],
      ['loss.auc.ci.upper < 0.6', false, 0.63],
      ['loss.tpr@0.1%.ci.lower > 0.01', false, 0.005],
    ]);
    expect(allHold(v)).toBe(false);
    expect(allHold(v.slice(0, 3))).toBe(true);
  });

  it('fails an expectation whose value is missing (a vulnerability that is undefined)', () => {
    const p = programWith('victim.vulnerability < 1');
    const [v] = evaluateExpectations(p.report.expectations!, p, results([run({}, 0.5, 0, 0.9)]));
    expect(v).toEqual({
      expectation: 'victim.vulnerability < 1',
      holds: false,
      points: [{ params: {}, value: null, holds: false }],
    });
  });

  it('judges each sweep point and names the failing points', () => {
    const p = programWith('loss.auc < 0.7, victim.test_accuracy >= 85%');
    const r = results([
      run({ 'refs.count': 1 }, 0.55, 0, 0.9),
      run({ 'refs.count': 5 }, 0.72, 0, 0.9),
      run({ 'refs.count': 10 }, 0.8, 0, 0.8),
    ]);
    const v = evaluateExpectations(p.report.expectations!, p, r);
    expect(v[0]!.points.map((x) => x.holds)).toEqual([true, false, false]);
    expect(v[1]!.points.map((x) => x.holds)).toEqual([true, true, false]);
    const judged = withVerdicts(r, v);
    expect(Object.keys(judged)).toEqual(['experiment', 'seed', 'backend', 'mia', 'expectations', 'runs']);
    expect(expectationsTable(v)).toBe(
      [
        'expectations: 2 of 2 failed',
        '  FAIL  loss.auc < 0.7  fails at refs.count = 5 (0.72); refs.count = 10 (0.8)',
        '  FAIL  victim.test_accuracy >= 85%  fails at refs.count = 10 (80%)',
      ].join('\n'),
    );
    expect(resultsTable(judged, p.report.metrics)).toContain('expectations: 2 of 2 failed');
    const html = String(expectationsHtml(judged));
    expect(html).toContain('<h2>Expectations: 2 of 2 failed</h2>');
    expect(html).toContain('<td rowspan="3"><code>loss.auc &lt; 0.7</code></td>');
    expect(html.match(/<tr class="fail">/g)).toHaveLength(3);
    expect(expectationsHtml(r)).toBe('');
  });

  it('says all hold, with each value, when they do; adds nothing to results without expectations', () => {
    const p = programWith('loss.auc < 0.7');
    const r = results([run({}, 0.55, 0, 0.9)]);
    const v = evaluateExpectations(p.report.expectations!, p, r);
    expect(expectationsTable(v)).toBe('expectations: all 1 hold\n  pass  loss.auc < 0.7  (0.55)');
    expect(withVerdicts(r, [])).toBe(r);
    expect(resultsTable(r, p.report.metrics)).not.toContain('expectations');
  });
});

/** The report's figures and tables as a researcher reads them: integer ticks, the declared metrics, spread histograms. */
import { describe, expect, it } from 'vitest';
import { reportSettingsOf } from '../../src/cli/report-settings.js';
import { attackResult, reportHtml, type ResultsJson, type RunResult } from '../../src/report/index.js';
import { histogramSpec, sweepSpec, toSvg } from '../../src/report/plots.js';

const n = 400;
const member = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
const attack = (name: string, score: number[]) =>
  attackResult({
    name,
    kind: 'threshold',
    seed: 1,
    fprLevels: [0.001, 0.01, 0.1],
    record: member.map((_, i) => i),
    label: member.map((_, i) => i % 10),
    score,
    member,
  });
const lifted = member.map((m, i) => ((i * 7919) % 1000) / 1000 + m * 0.3);
const run = (params: Record<string, number>): RunResult => ({
  params,
  target: {
    name: 'victim',
    trainAccuracy: 1,
    testAccuracy: 0.9,
    generalizationGap: 0.1,
    trainLoss: 0.01,
    testLoss: 0.3,
    vulnerability: 0.5,
  },
  attacks: [attack('loss', lifted)],
});
const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('report figures', () => {
  it('an integer sweep setting is ticked at its values only: no "1.5 shadow models"', async () => {
    for (const counts of [
      [1, 2],
      [1, 2, 3],
      [2, 4, 8, 16],
    ]) {
      const svg = await toSvg(
        sweepSpec(
          counts.map((c) => run({ 'refs.count': c })),
          'refs.count',
          'AUC',
          (a) => a.metrics.auc,
        ),
      );
      const ticks = texts(svg).slice(0, texts(svg).indexOf('refs.count'));
      expect(ticks.length).toBeGreaterThan(0);
      for (const t of ticks) expect(t).toMatch(/^\d+$/);
    }
    const frac = await toSvg(
      sweepSpec(
        [0.5, 1].map((c) => run({ lr: c })),
        'lr',
        'AUC',
        (a) => a.metrics.auc,
      ),
    );
    expect(texts(frac).some((t) => t.includes('.'))).toBe(true); // a fractional setting keeps its fractions
  });

  it('the metrics table shows the declared metrics only, in their order (precision and recall too)', async () => {
    const r: ResultsJson = { experiment: 'x', seed: 1, backend: 'cpu', mia: '0', runs: [run({})] };
    const page = await reportHtml(
      r,
      [],
      [{ kind: 'tprAtFpr', fpr: 0.01 }, { kind: 'advantage' }, { kind: 'auc' }, { kind: 'precision' }],
    );
    const th = page.match(/<table class="metrics"><thead><tr>(.*?)<\/tr>/)![1]!;
    expect([...th.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1])).toEqual([
      'attack',
      'kind',
      'TPR@1%',
      'advantage',
      'AUC',
      'precision',
    ]);
    const all = (await reportHtml(r)).match(/<table class="metrics"><thead><tr>(.*?)<\/tr>/)![1]!;
    expect(all).toContain('TPR@0.1%'); // none declared: every level
  });

  it('a heavy-tailed score of either sign is histogrammed on a signed log axis, not in one bar', () => {
    const heavy = member.map((m, i) => (m ? 1 : -1) * 10 ** ((i % 50) / 10));
    const spec = histogramSpec(attack('lira', heavy)) as {
      encoding: { x: { title: string } };
      data: { values: { score: number }[] };
    };
    expect(spec.encoding.x.title).toBe('sign · log₁₀(1 + |score|)');
    expect(Math.max(...spec.data.values.map((v) => v.score))).toBeLessThan(6);
    const plain = histogramSpec(attack('loss', lifted)) as { encoding: { x: { title: string } } };
    expect(plain.encoding.x.title).toBe('score');
  });

  it('mia report reads the report block again from the spec text in provenance, imports included', () => {
    const files = [
      {
        path: 'exp/main.mia',
        sha256: '',
        text: 'import "../lib/common.mia"\nexperiment e { seed 1 }\ntarget t { model m, members d.take(10), nonmembers d.take(10) }\nattack a = threshold { signal: loss }\nreport { metrics [advantage, tpr@1%], plots [roc(linear)] }\n',
      },
      {
        path: 'lib/common.mia',
        sha256: '',
        text: 'dataset d = mnist\nmodel m { layers [dense(classes, softmax)], train { epochs: 1 } }\n',
      },
    ];
    const r = {
      provenance: { spec: { path: 'x', sha256: '', files }, settings: {}, invocation: {} },
    } as unknown as ResultsJson;
    expect(reportSettingsOf(r)).toEqual({
      metrics: [{ kind: 'advantage' }, { kind: 'tprAtFpr', fpr: 0.01 }],
      plots: [{ kind: 'roc', scale: 'linear' }],
    });
    expect(reportSettingsOf({} as ResultsJson)).toEqual({ metrics: [], plots: [] });
  });
});

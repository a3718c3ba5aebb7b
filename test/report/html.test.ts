import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  attackResult,
  compareResults,
  compareTable,
  reportHtml,
  type ResultsJson,
  type RunResult,
} from '../../src/report/index.js';
import { rocPoints } from '../../src/report/plots.js';
import { tempDir } from '../e2e/helpers.js';
import { CHROMIUM, closeBrowser, haveChromium, openReport } from './browser.js';

afterAll(closeBrowser);

/** A run whose attacks' members score higher by `lift`: real metrics code, sample of 300 + 300. */
function run(params: Record<string, number>, lift: number, testAccuracy: number): RunResult {
  const n = 600;
  const member = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
  const score = member.map((m, i) => ((i * 7919) % 1000) / 1000 + m * lift);
  const attack = (name: string, k: number) =>
    attackResult({
      name,
      kind: 'threshold',
      seed: 1,
      fprLevels: [0.001, 0.01, 0.1],
      record: member.map((_, i) => i),
      label: member.map((_, i) => i % 10),
      score: score.map((s) => s * k),
      member,
    });
  return {
    params,
    target: {
      name: 'victim',
      trainAccuracy: 1,
      testAccuracy,
      generalizationGap: 1 - testAccuracy,
      trainLoss: 0.01,
      testLoss: 0.3,
      vulnerability: 0.5,
    },
    attacks: [attack('loss', 1), attack('conf', 2)],
  };
}
const sweep: ResultsJson = {
  experiment: 'sweep <x>',
  seed: 1,
  backend: 'cpu',
  mia: '0',
  runs: [run({ 'refs.count': 2 }, 0.1, 0.8), run({ 'refs.count': 4 }, 0.3, 0.85), run({ 'refs.count': 8 }, 0.5, 0.9)],
};
const plotsOf = (html: string): string[] => [...html.matchAll(/data-plot="([^"]+)"/g)].map((m) => m[1]!);

describe('report.html', () => {
  it('has, per sweep point, the utility and metrics tables and the chosen plots; sweeps add metric-vs-setting plots', async () => {
    const html = await reportHtml(sweep);
    expect(html).toContain('<title>mia report: sweep &lt;x&gt;</title>'); // escaped
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // no script, no network
    expect(plotsOf(html)).toEqual([
      'sweep-auc-refs.count',
      'sweep-tpr-refs.count',
      'privacy-utility',
      ...[1, 2, 3].flatMap(() => ['roc-log', 'histogram-loss', 'histogram-conf']),
    ]);
    expect(html.match(/<svg /g)).toHaveLength(plotsOf(html).length);
    const auc = sweep.runs[2]!.attacks[0]!.metrics;
    expect(html).toContain(
      `${auc.auc.toFixed(3)} <span class="ci">[${auc.ci!.auc[0].toFixed(3)}, ${auc.ci!.auc[1].toFixed(3)}]</span>`,
    );
    expect(html).toContain('<h2>refs.count = 8</h2>');
    const linear = await reportHtml({ ...sweep, runs: [sweep.runs[0]!] }, [{ kind: 'roc', scale: 'linear' }]);
    expect(plotsOf(linear)).toEqual(['roc-linear']);
  });

  it('ROC points are the curve from (0, 0) to (1, 1), never more than about the asked number', () => {
    const pts = rocPoints(sweep.runs[0]!.attacks[0]!, 100);
    expect(pts[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(pts.at(-1)).toEqual({ fpr: 1, tpr: 1 });
    expect(pts.length).toBeLessThanOrEqual(160);
    for (let i = 1; i < pts.length; i++) {
      expect(pts[i]!.fpr).toBeGreaterThanOrEqual(pts[i - 1]!.fpr);
      expect(pts[i]!.tpr).toBeGreaterThanOrEqual(pts[i - 1]!.tpr);
    }
  });

  it('a sweep report renders every plot in Chromium without console errors', async () => {
    expect(haveChromium, `no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`).toBe(true);
    const file = join(tempDir('mia-html-'), 'report.html');
    writeFileSync(file, await reportHtml(sweep));
    const page = await openReport(file);
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.plots).toHaveLength(12);
    const marks = Object.fromEntries(page.plots.map((p) => [p.name, p.marks]));
    expect(marks['sweep-auc-refs.count']).toBe(8); // a line per attack, a point per attack and sweep point
    expect(marks['sweep-tpr-refs.count']).toBe(8);
    expect(marks['privacy-utility']).toBe(6); // a point per attack and sweep point
    expect(marks['roc-log']).toBe(3); // the diagonal and a curve per attack
    expect(marks['histogram-loss']).toBeGreaterThan(10); // bars
  });
});

describe('compare', () => {
  it('pairs sweep points and attacks by name; the change is B − A; marked where its interval excludes 0', () => {
    const A: ResultsJson = { ...sweep, runs: [sweep.runs[0]!] };
    const B: ResultsJson = { ...sweep, runs: [{ ...sweep.runs[2]!, params: { 'refs.count': 2 } }] };
    const changes = compareResults(A, B);
    const auc = changes.find((c) => c.attack === 'loss' && c.metric === 'AUC')!;
    expect(auc.a).toBe(A.runs[0]!.attacks[0]!.metrics.auc);
    expect(auc.b).toBe(B.runs[0]!.attacks[0]!.metrics.auc);
    expect(auc.separated).toBe(true); // lift 0.1 against 0.5: far apart
    expect(compareResults(A, A).every((c) => c.a === c.b && !c.separated)).toBe(true);
    const table = compareTable(changes, 'a', 'b');
    expect(table).toMatch(
      new RegExp(
        `loss\\s+AUC\\s+${auc.a!.toFixed(4)} \\[[^\\]]+\\]\\s+${auc.b!.toFixed(4)} \\[[^\\]]+\\]\\s+\\+${(auc.b! - auc.a!).toFixed(4)} \\*`,
      ),
    );
    const onlyB = compareResults(A, { ...B, runs: [{ ...B.runs[0]!, attacks: [B.runs[0]!.attacks[1]!] }] });
    expect(onlyB.find((c) => c.attack === 'loss' && c.metric === 'AUC')).toMatchObject({ b: null });
  });

  it('with several targets, pairs each run with the same target at the same point, not the first with these params', () => {
    const named = (r: RunResult, name: string): RunResult => ({ ...r, params: {}, target: { ...r.target, name } });
    // A: baseline then defended; B: the same targets in the other order
    const A: ResultsJson = { ...sweep, runs: [named(sweep.runs[0]!, 'baseline'), named(sweep.runs[2]!, 'defended')] };
    const B: ResultsJson = { ...sweep, runs: [named(sweep.runs[2]!, 'defended'), named(sweep.runs[0]!, 'baseline')] };
    const changes = compareResults(A, B).filter((c) => c.attack === 'loss' && c.metric === 'AUC');
    expect(changes.map((c) => c.point)).toEqual(['target = baseline', 'target = defended']);
    expect(changes.every((c) => c.a === c.b && c.a !== null)).toBe(true);
  });
});

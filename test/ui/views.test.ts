import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { MetricSpec } from '../../src/check/index.js';
import { attackResult, resultsTable, summaryOf, type ResultsJson } from '../../src/report/index.js';
import { initialState, reduce, reduceAll, type ReporterEvent, type RunState } from '../../src/ui/run-state.js';
import { plainLines } from '../../src/ui/plain.js';
import { wrap } from '../../src/ui/format.js';
import { jsonLine } from '../../src/ui/json.js';
import { pickReporter } from '../../src/ui/reporters.js';
import { RunView } from '../../src/ui/run-view.js';

const at = 1_000;
const started: ReporterEvent[] = [
  { type: 'runStarted', experiment: 'quick', backend: 'wasm', jobs: 4, workers: 2, at },
  { type: 'jobQueued', id: 'train/target/victim', label: 'train target victim', kind: 'train', at },
  { type: 'jobQueued', id: 'train/shadow/refs/0', label: 'train shadow refs #0', kind: 'train', at },
  { type: 'jobQueued', id: 'query/target/victim', label: 'query target victim', kind: 'query', at },
  { type: 'jobQueued', id: 'attack/loss', label: 'attack loss', kind: 'attack', at },
  { type: 'jobStarted', id: 'train/target/victim', label: 'train target victim', at },
  { type: 'jobStarted', id: 'train/shadow/refs/0', label: 'train shadow refs #0', at },
];
const tick = (id: string, epoch: number, batch: number, loss: number, t: number): ReporterEvent => ({
  type: 'progress',
  id,
  done: epoch - 1 + batch / 4,
  total: 10,
  train: { epoch, epochs: 10, batch, batches: 4, loss, recordsPerSec: 1500 },
  at: t,
});

/** Attack results from real metrics code on a small sample where members score higher. */
function results(): ResultsJson {
  const n = 200;
  const member = Array.from({ length: n }, (_, i) => (i < n / 2 ? 1 : 0));
  const score = member.map((m, i) => ((i * 37) % 101) / 101 + m * 0.3);
  const attack = (name: string) =>
    attackResult({
      name,
      kind: 'threshold',
      seed: 1,
      fprLevels: [0.01, 0.1],
      record: member.map((_, i) => i),
      label: member.map(() => 0),
      score,
      member,
    });
  return {
    experiment: 'quick',
    seed: 1,
    backend: 'cpu',
    mia: '0',
    runs: [
      {
        params: {},
        target: {
          name: 'victim',
          trainAccuracy: 0.99,
          testAccuracy: 0.87,
          generalizationGap: 0.12,
          trainLoss: 0.05,
          testLoss: 0.4,
          vulnerability: 0.3,
        },
        attacks: [attack('loss'), attack('a-very-long-attack-name-indeed')],
      },
    ],
  };
}
const metrics: MetricSpec[] = [
  { kind: 'auc' },
  { kind: 'tprAtFpr', fpr: 0.01 },
  { kind: 'tprAtFpr', fpr: 0.1 },
  { kind: 'balanced_accuracy' },
  { kind: 'advantage' },
  { kind: 'precision' },
  { kind: 'recall' },
];
const view = (s: RunState, width = 80, color = false) =>
  render(createElement(RunView, { state: s, metrics, width, color }));

describe('the Ink view', () => {
  it('shows a bar per running training job that moves with its progress, and overall progress', () => {
    const early = reduceAll([...started, tick('train/target/victim', 1, 2, 2.3, at + 500)]);
    const later = reduce(early, tick('train/target/victim', 6, 4, 0.25, at + 5000));
    const a = view(early).lastFrame()!;
    const b = view(later).lastFrame()!;
    expect(a).toContain('mia quick · wasm · 2 workers');
    expect(a).toMatch(/train target victim\s+\S*\s+1\/10 loss 2\.300 1\.5k\/s/);
    expect(b).toMatch(/train target victim\s+█+\S*\s+6\/10 loss 0\.250/);
    const filled = (s: string) => (s.match(/train target victim\s+(█*)/)?.[1] ?? '').length;
    expect(filled(b)).toBeGreaterThan(filled(a));
    expect(a).toContain('train 0/2 ▸2  query 0/1  attack 0/1');
    expect(b).toMatch(/\d+%\s+0\/4 jobs\s+0:05\s+ETA \d+:\d\d\s+1\.5k rec\/s/);
  });

  it('lists settled jobs above, failures with their first error line; fits 80 columns without colour codes', () => {
    const s = reduceAll([
      ...started,
      { type: 'jobFinished', id: 'train/target/victim', label: 'train target victim', ms: 2100, at: at + 2100 },
      { type: 'cacheHit', id: 'query/target/victim', label: 'query target victim', at: at + 2200 },
      {
        type: 'jobFailed',
        id: 'train/shadow/refs/0',
        label: 'train shadow refs #0',
        error: `out of memory ${'x'.repeat(90)}\n  at stack`,
        at: at + 2300,
      },
      { type: 'jobCancelled', id: 'attack/loss', label: 'attack loss', because: 'train/shadow/refs/0', at: at + 2300 },
    ]);
    const frame = view(s).lastFrame()!;
    expect(frame).toContain('✓ train target victim (2.1s)');
    expect(frame).not.toContain('query target victim (cached)'); // the cache's jobs: one line, not one each
    expect(frame).toContain('✓ 1 job cached');
    expect(frame).toContain('✗ train shadow refs #0: out of memory');
    expect(frame).not.toContain('at stack');
    expect(frame).toContain('- attack loss: not run, train/shadow/refs/0 failed');
    expect(frame).toContain('1 computed, 1 cached, 1 failed, 1 not run');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(frame.includes(String.fromCharCode(27))).toBe(false); // no escape codes
  });

  it('ends with the table of attacks × metrics with intervals and the target accuracy, within the width', () => {
    const r = results();
    const s = reduceAll([
      ...started,
      { type: 'runFinished', ok: true, ms: 9000, computed: 4, cached: 0, at: at + 9000 },
      {
        type: 'resultsWritten',
        results: '/tmp/r/results.json',
        report: '/tmp/r/report.html',
        summary: summaryOf(r),
        at: at + 9001,
      },
    ]);
    const frame = view(s).lastFrame()!;
    const auc = r.runs[0]!.attacks[0]!.metrics;
    // the piped table's target line, wrapped after a comma at 80 columns
    expect(frame).toContain(
      'target victim: train accuracy 0.990, test accuracy 0.870, gap 0.120,\n  loss 0.050/0.400, V 0.300',
    );
    expect(frame).toMatch(new RegExp(`loss\\s+${auc.auc.toFixed(3)}`));
    const [lo, hi] = auc.ci!.auc;
    expect(frame).toContain(`${lo.toFixed(3).replace(/^0/, '')}–${hi.toFixed(3).replace(/^0/, '')}`);
    expect(frame).toContain('results: /tmp/r/results.json');
    expect(frame).toContain('report:  /tmp/r/report.html');
    expect(frame).toMatch(/more metrics in results\.json/); // 7 metrics do not fit 80 columns
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    if (process.env.SHOW_FRAME) console.log(frame);
  });
});

describe('one summary for every view', () => {
  /** Two targets, one with DP-SGD, and synthesised shadow data that queried the target. */
  function twoTargets(): ResultsJson {
    const r = results();
    const privacy = { epsilon: 2.5, delta: 1e-5, noise: 1.1, steps: 40, sampling: 0.05, clip: 1 };
    const shadowData = [
      { dataset: 'grown', kind: 'hill_climb', records: 90, queries: 12345, target: 'victim', budget: 20000 },
    ];
    const run = { ...r.runs[0]!, attacks: r.runs[0]!.attacks.slice(0, 1) };
    const dp = { ...run.target, name: 'private', defenses: ['dp_sgd'], epsilon: 2.5, delta: 1e-5, noise: 1.1, privacy };
    return {
      ...r,
      runs: [
        { ...run, shadowData },
        { ...run, target: dp, shadowData },
      ],
    };
  }
  const metrics: MetricSpec[] = [{ kind: 'auc' }, { kind: 'tprAtFpr', fpr: 0.01 }];

  it('the Ink view shows the piped lines: the DP target’s ε/δ/σ, the shadow data’s queries, the table per target', () => {
    const r = twoTargets();
    const piped = resultsTable(r, metrics).split('\n');
    const expected = piped.filter((l) => /^(target |shadow data |privacy and utility|victim |private )/.test(l));
    expect(expected.some((l) => l.includes('ε 2.500 (δ 0.00001, σ 1.100)'))).toBe(true);
    expect(expected.some((l) => l.includes('12,345 queries to target victim'))).toBe(true);
    expect(expected.filter((l) => /^(victim|private) /.test(l))).toHaveLength(2); // the table's rows
    const s = reduceAll([
      ...started,
      { type: 'runFinished', ok: true, ms: 9000, computed: 4, cached: 0, at: at + 9000 },
      { type: 'resultsWritten', results: '/tmp/r/results.json', report: null, summary: summaryOf(r), at: at + 9001 },
    ]);
    // ink-testing-library's terminal is 100 columns: longer lines are wrapped after a comma, never cut
    const wide = view(s, 100).lastFrame()!;
    for (const l of expected) expect(wide).toContain(wrap(l, 100).join('\n'));
    const narrow = view(s, 80).lastFrame()!;
    expect(narrow).toContain('ε 2.500 (δ 0.00001, σ 1.100)'); // wrapped, not cut
    for (const line of narrow.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('the JSON view’s summary carries the shadow data', () => {
    const line = JSON.parse(
      jsonLine({ type: 'resultsWritten', results: 'r', report: null, summary: summaryOf(twoTargets()), at: 1 }),
    );
    expect(line.summary[1].shadowData[0].queries).toBe(12345);
    expect(line.summary[1].target.privacy.epsilon).toBe(2.5);
  });
});

describe('the plain and JSON views', () => {
  it('plain: a numbered line per settled job, a start and an end line, from the same state', () => {
    const events: ReporterEvent[] = [
      ...started,
      tick('train/target/victim', 1, 1, 2, at + 10),
      { type: 'jobFinished', id: 'train/target/victim', label: 'train target victim', ms: 1500, at: at + 1500 },
      { type: 'warning', message: 'disk full', at: at + 1600 },
      { type: 'jobFailed', id: 'train/shadow/refs/0', label: 'train shadow refs #0', error: 'boom', at: at + 1700 },
      { type: 'runFinished', ok: false, ms: 2000, computed: 1, cached: 0, failed: 1, at: at + 2000 },
    ];
    const lines: string[] = [];
    let s = initialState();
    for (const e of events) {
      const next = reduce(s, e);
      lines.push(...plainLines(s, next, e));
      s = next;
    }
    expect(lines).toEqual([
      'mia: quick: 4 jobs on the wasm backend, 2 workers',
      '  [1/4] ✓ train target victim (1.5s)',
      '  ! disk full',
      '  [2/4] ✗ train shadow refs #0: boom',
      'mia: finished with failures in 2.0s: 1 computed, 0 from the cache, 1 failed',
    ]);
  });

  it('a cached rerun: one line for the jobs the cache spared, not one each; the rest numbered as before', () => {
    const n = 161;
    const ids = Array.from({ length: n }, (_, i) => `query/x/${i}`);
    const events = (computed: number): ReporterEvent[] => [
      { type: 'runStarted', experiment: 'defenses', backend: 'wasm', jobs: n, workers: 2, at },
      ...ids.map((id): ReporterEvent => ({ type: 'jobQueued', id, label: id, kind: 'query', at })),
      ...ids.slice(0, n - computed - 2).map((id): ReporterEvent => ({ type: 'cacheHit', id, label: id, at })),
      ...ids
        .slice(n - computed - 2, n - computed)
        .map((id): ReporterEvent => ({ type: 'jobSkipped', id, label: id, reason: 'unused', at })),
      ...ids.slice(n - computed).flatMap((id): ReporterEvent[] => [
        { type: 'jobStarted', id, label: id, at },
        { type: 'jobFinished', id, label: id, ms: 100, at },
      ]),
      { type: 'runFinished', ok: true, ms: 300, computed, cached: n - computed - 2, at },
    ];
    const linesOf = (evs: ReporterEvent[]) => {
      let s = initialState();
      const lines: string[] = [];
      for (const e of evs) {
        const next = reduce(s, e);
        lines.push(...plainLines(s, next, e));
        s = next;
      }
      return { lines, state: s };
    };
    const all = linesOf(events(0));
    expect(all.lines).toEqual([
      'mia: defenses: 161 jobs on the wasm backend, 2 workers',
      '  ✓ 159 jobs cached, 2 not needed',
      'mia: finished in 0.3s: 0 computed, 159 from the cache',
    ]);
    const some = linesOf(events(3)).lines;
    expect(some.filter((l) => l.includes('cached'))).toEqual(['  ✓ 156 jobs cached, 2 not needed']);
    expect(some.slice(1, 3)).toEqual(['  ✓ 156 jobs cached, 2 not needed', `  [159/161] ✓ ${ids[158]} (0.1s)`]);
    // the Ink view: the same one line, the plan's count of jobs settled
    const frame = view(all.state, 100).lastFrame()!;
    expect(frame).toContain('✓ 159 jobs cached, 2 not needed');
    expect(frame).not.toContain('(cached)');
    expect(frame).toContain('161/161 jobs');
  });

  it("the first frame, drawn on the first event, shows the plan's job count, not 0/0", () => {
    const first = reduce(initialState(), started[0]!);
    const frame = view(first).lastFrame()!;
    expect(frame).toMatch(/\b0\/4 jobs/);
    expect(frame).not.toContain('0/0 jobs');
  });

  it('JSON: one line per event with its type; non-finite numbers as in results.json', () => {
    const line = jsonLine({ type: 'warning', message: 'x', at: 5 });
    expect(JSON.parse(line)).toEqual({ type: 'warning', message: 'x', at: 5 });
    expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
    const s = summaryOf(results());
    (s[0]!.attacks[0]!.metrics as { threshold: number }).threshold = -Infinity;
    const back = JSON.parse(jsonLine({ type: 'resultsWritten', results: 'r', report: null, summary: s, at: 1 }));
    expect(back.summary[0].attacks[0].metrics.threshold).toBe(-Number.MAX_VALUE);
  });

  it('one place picks the reporter', () => {
    expect(pickReporter({ json: true, quiet: true })).toBe('json');
    expect(pickReporter({ json: false, quiet: true })).toBe('quiet');
    expect(pickReporter({ json: false, quiet: false })).toBe('default');
  });
});

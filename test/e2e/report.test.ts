import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, openReport } from '../report/browser.js';
import { miaAsync, root, tempDir } from './helpers.js';

const tiny = readFileSync(join(root, 'test', 'fixtures', 'tiny.mia'), 'utf8');

describe('the run views, report.html, mia report and mia compare (end to end)', () => {
  const dir = tempDir('mia-report-');
  const specA = join(dir, 'a.mia');
  const specB = join(dir, 'b.mia');
  writeFileSync(specA, tiny);
  // B: another seed and the plots named in the report block (refused with E900 before)
  writeFileSync(
    specB,
    tiny
      .replace('seed 3', 'seed 4')
      .replace(
        'report { metrics [auc, tpr@1%, balanced_accuracy, advantage] }',
        'report { metrics [auc, tpr@1%], plots [roc(log), histogram] }',
      ),
  );
  const outA = join(dir, 'A');
  const outB = join(dir, 'B');

  it('--json: one event per line, each with a type, ending with where results.json and report.html went', async () => {
    const r = await miaAsync(['run', specA, '--out', outA, '--json', '--backend', 'wasm', '--jobs', '2', '--no-cache']);
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    for (const e of events) expect(typeof e.type).toBe('string');
    expect(events[0]!.type).toBe('runStarted');
    const last = events.at(-1)!;
    expect(last).toMatchObject({
      type: 'resultsWritten',
      results: join(outA, 'results.json'),
      report: join(outA, 'report.html'),
    });
    expect(events.at(-2)!.type).toBe('runFinished');
    const ticks = events.filter((e) => e.type === 'progress' && e.train);
    expect(ticks.length).toBeGreaterThanOrEqual(3 * 3); // at least each epoch's end of the 3 models
    expect(ticks[0]!.train).toMatchObject({
      epochs: 3,
      batches: 7,
      loss: expect.any(Number),
      recordsPerSec: expect.any(Number),
    });
    const summary = (last.summary as { attacks: { name: string; metrics: { auc: number } }[] }[])[0]!;
    const results = JSON.parse(readFileSync(join(outA, 'results.json'), 'utf8'));
    expect(summary.attacks.map((a) => a.metrics.auc)).toEqual(
      results.runs[0].attacks.map((a: { metrics: { auc: number } }) => a.metrics.auc),
    );
  });

  it('in a pipe: plain lines on stderr, the table and paths on stdout; --quiet: the table only', async () => {
    const r = await miaAsync(['run', specB, '--out', outB, '--backend', 'wasm', '--jobs', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^mia: tiny: \d+ jobs on the wasm backend, 2 workers\n/);
    expect(r.stderr).toMatch(/\[ ?\d+\/\d+\] ✓ train target victim \(\d+\.\ds\)/);
    expect(r.stdout).toMatch(/loss\s+threshold\s+0\.\d{4}/);
    expect(r.stdout).toContain(`report: ${join(outB, 'report.html')}`);
    const q = await miaAsync(['run', specB, '--out', outB, '--backend', 'wasm', '--quiet']); // from the cache
    expect(q.code).toBe(0);
    expect(q.stderr).toBe('');
    expect(q.stdout).toMatch(/^target victim: train accuracy/);
    expect(q.stdout).not.toContain('report:');
  });

  it('mia report rebuilds report.html; mia compare shows the changes in the terminal and as a page', async () => {
    const page = join(outA, 'report.html');
    const before = readFileSync(page, 'utf8');
    writeFileSync(page, 'stale');
    const r = await miaAsync(['report', outA]);
    expect(r.code).toBe(0);
    expect(readFileSync(page, 'utf8')).toBe(before);
    const c = await miaAsync(['compare', outA, outB, '--out', join(dir, 'compare.html')]);
    expect(c.code).toBe(0);
    const A = JSON.parse(readFileSync(join(outA, 'results.json'), 'utf8'));
    const B = JSON.parse(readFileSync(join(outB, 'results.json'), 'utf8'));
    const [a, b] = [A.runs[0].attacks[0].metrics.auc, B.runs[0].attacks[0].metrics.auc];
    const sign = b - a >= 0 ? '+' : '';
    expect(c.stdout).toMatch(
      new RegExp(`loss\\s+AUC\\s+${a.toFixed(4)}\\s+${b.toFixed(4)}\\s+\\${sign}${(b - a).toFixed(4)}`),
    );
    expect(existsSync(join(dir, 'compare.html'))).toBe(true);
    const bad = await miaAsync(['report', join(dir, 'nowhere')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/nowhere does not exist/);
    expect(bad.stderr).not.toMatch(/at .*\.js/);
  });

  // Not skipped without Chromium: CI installs it, and a report nobody renders is not tested.
  it(`report.html renders every plot in headless Chromium without console errors (${CHROMIUM})`, async () => {
    expect(haveChromium, `no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`).toBe(true);
    const shot = join(dir, 'report.png');
    const page = await openReport(join(outB, 'report.html'), shot);
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([]); // self-contained: nothing fetched
    expect(page.tables).toBe(2); // the target's utility, the metrics
    expect(page.plots.map((p) => p.name)).toEqual(['roc-log', 'histogram-loss', 'histogram-conf', 'histogram-shokri']);
    for (const p of page.plots) {
      expect(p.width).toBeGreaterThan(200);
      expect(p.height).toBeGreaterThan(150);
      expect(p.marks).toBeGreaterThanOrEqual(p.name === 'roc-log' ? 4 : 10); // diagonal + 3 curves; bars
    }
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    const cmp = await openReport(join(dir, 'compare.html'));
    expect(cmp.errors).toEqual([]);
    expect(cmp.plots.map((p) => p.name)).toEqual(['roc-compare']);
  });
});

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, closeBrowser, haveChromium, openReport } from '../report/browser.js';
import { miaAsync, type Ran, root, tempDir } from './helpers.js';
import { bruteMetrics } from './independent-metrics.js';

/** Screenshots of the reports, kept for a reader to look at (gitignored). */
const shots = join(root, 'test-output');

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
  // The two runs the tests below read, at once (independent: A has no cache, B its own).
  let runA: Ran, runB: Ran;
  beforeAll(async () => {
    [runA, runB] = await Promise.all([
      miaAsync(['run', specA, '--out', outA, '--json', '--backend', 'wasm', '--jobs', '2', '--no-cache']),
      miaAsync(['run', specB, '--out', outB, '--backend', 'wasm', '--jobs', '2']),
    ]);
  });
  afterAll(closeBrowser);

  it('--json: one event per line, each with a type, ending with where results.json and report.html went', () => {
    const r = runA;
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
    const r = runB;
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
    const [r, c, bad] = await Promise.all([
      miaAsync(['report', outA]),
      miaAsync(['compare', outA, outB, '--out', join(dir, 'compare.html')]),
      miaAsync(['report', join(dir, 'nowhere')]),
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(page, 'utf8')).toBe(before);
    expect(c.code).toBe(0);
    const A = JSON.parse(readFileSync(join(outA, 'results.json'), 'utf8'));
    const B = JSON.parse(readFileSync(join(outB, 'results.json'), 'utf8'));
    const [a, b] = [A.runs[0].attacks[0].metrics.auc, B.runs[0].attacks[0].metrics.auc];
    const sign = b - a >= 0 ? '+' : '';
    const ci = '(?: \\[[^\\]]+\\])?';
    expect(c.stdout).toMatch(
      new RegExp(`loss\\s+AUC\\s+${a.toFixed(4)}${ci}\\s+${b.toFixed(4)}${ci}\\s+\\${sign}${(b - a).toFixed(4)}`),
    );
    expect(c.stdout).toMatch(/^target victim\s+test accuracy\s+0\.\d{4}\s+0\.\d{4}/m);
    expect(c.stdout).toMatch(/1000 resamples, seed 0/);
    expect(existsSync(join(dir, 'compare.html'))).toBe(true);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/nowhere does not exist/);
    expect(bad.stderr).not.toMatch(/at .*\.js/);
  });

  // Not skipped without Chromium: CI installs it, and a report nobody renders is not tested.
  it(`report.html renders every plot in headless Chromium without console errors (${CHROMIUM})`, async () => {
    expect(haveChromium, `no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`).toBe(true);
    mkdirSync(shots, { recursive: true });
    const shot = join(shots, 'report-tiny.png');
    const page = await openReport(join(outB, 'report.html'), shot);
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([]); // self-contained: nothing fetched
    expect(page.tables).toBe(3); // the target's utility, the metrics, the slices
    expect(page.plots.map((p) => p.name)).toEqual([
      'roc-log',
      'histogram-loss',
      'histogram-conf',
      'histogram-shokri',
      'slices-auc',
    ]);
    for (const p of page.plots) {
      expect(p.width).toBeGreaterThan(200);
      expect(p.height).toBeGreaterThan(150);
      expect(p.marks).toBeGreaterThanOrEqual(p.name === 'roc-log' ? 4 : 10); // diagonal + 3 curves; bars; points and rules
      expect(p.downloads).toEqual([`${p.name}.svg`, `${p.name}.csv`]);
    }
    // The most exposed records: 3 attacks × 8 pictures, each a decoded 28×28 image.
    expect(page.pictures).toHaveLength(24);
    for (const pic of page.pictures) expect(pic).toEqual({ width: 28, height: 28 });
    expect(page.text).toMatch(/The slice that leaks most: class \d/);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    const cmp = await openReport(join(dir, 'compare.html'));
    expect(cmp.errors).toEqual([]);
    expect(cmp.plots.map((p) => p.name)).toEqual(['roc-compare-0', 'roc-compare-1', 'roc-compare-2']);
  });

  it('results.json: a risk and a rank per candidate; per-class TPRs equal an independent computation from its samples', () => {
    const r = JSON.parse(readFileSync(join(outA, 'results.json'), 'utf8'));
    for (const a of r.runs[0].attacks) {
      const n = a.samples.score.length;
      expect(a.exposure.prior).toBe(0.5);
      expect(a.exposure.risk).toHaveLength(n);
      expect(a.exposure.rank).toHaveLength(n);
      expect(Math.min(...a.exposure.rank)).toBe(1);
      for (const s of a.slices) {
        const idx = a.samples.label.flatMap((l: number, i: number) => (l === s.value ? [i] : []));
        const b = bruteMetrics(
          idx.map((i: number) => a.samples.score[i]),
          idx.map((i: number) => a.samples.member[i]),
          [0.001, 0.01, 0.1],
        );
        expect(s.members + s.nonMembers).toBe(idx.length);
        expect(Math.abs(s.metrics.auc - b.auc)).toBeLessThan(1e-9);
        for (const k of ['0.001', '0.01', '0.1'])
          expect(Math.abs(s.metrics.tprAtFpr[k] - b.tprAtFpr[k]!)).toBeLessThan(1e-9);
        // every slice here has fewer than 100 non-members: TPR at 1% and 0.1% are flagged, not results
        expect(s.metrics.flags).toContainEqual(expect.objectContaining({ reason: 'tpr_at_zero_fp' }));
      }
      const worst = a.slices.reduce((p: { metrics: { auc: number } }, q: { metrics: { auc: number } }) =>
        q.metrics.auc > p.metrics.auc ? q : p,
      );
      expect(a.worstSlice).toEqual({ by: 'class', value: worst.value, auc: worst.metrics.auc });
    }
    expect(r.runs[0].records.prediction).toHaveLength(400);
    expect(r.runs[0].records.shape).toEqual([28, 28, 1]);
  });

  it('mia records lists the most exposed records of each attack (table, CSV, JSON)', async () => {
    const r = JSON.parse(readFileSync(join(outA, 'results.json'), 'utf8'));
    const lira = r.runs[0].attacks.find((a: { name: string }) => a.name === 'shokri');
    const best = lira.exposure.rank.indexOf(1);
    const [t, j, c, bad] = await Promise.all([
      miaAsync(['records', outA, '--top', '3']),
      miaAsync(['records', outA, '--attack', 'shokri', '--top', '1', '--format', 'json']),
      miaAsync(['records', outA, '--top', '2', '--format', 'csv']),
      miaAsync(['records', outA, '--attack', 'shokr']),
    ]);
    expect(t.code).toBe(0);
    expect(t.stdout.split('\n')[0]).toMatch(/^attack\s+rank\s+record\s+label\s+prediction\s+member\s+score\s+risk$/);
    expect(t.stdout.match(/^(loss|conf|shokri)\s+\d+\s+\d+/gm)).toHaveLength(9);
    const rows = JSON.parse(j.stdout);
    expect(rows).toEqual([
      expect.objectContaining({
        attack: 'shokri',
        rank: 1,
        record: lira.samples.record[best],
        risk: lira.exposure.risk[best],
      }),
    ]);
    expect(c.stdout.trim().split('\n')).toHaveLength(1 + 3 * 2);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/has no attack "shokr"\. Did you mean "shokri"\?/);
  });

  it('several targets: the privacy-utility scatter and a ROC per target for each attack, in Chromium', async () => {
    const spec = join(dir, 'two.mia');
    writeFileSync(
      spec,
      tiny.replace(
        /target victim \{[^}]*\}/,
        (t) =>
          `${t}\ntarget smooth {\n  model small\n  members digits.take(200)\n  nonmembers digits.take(200)\n  defenses [label_smoothing(0.2)]\n}`,
      ),
    );
    const out = join(dir, 'TWO');
    const r = await miaAsync(['run', spec, '--out', out, '--backend', 'wasm', '--jobs', '2', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    mkdirSync(shots, { recursive: true });
    const page = await openReport(join(out, 'report.html'), join(shots, 'report-targets.png'));
    expect(page.errors).toEqual([]);
    const names = page.plots.map((p) => p.name);
    expect(names.slice(0, 4)).toEqual(['targets-privacy-utility', 'roc-targets-0', 'roc-targets-1', 'roc-targets-2']);
    const scatter = page.plots[0]!;
    expect(scatter.marks).toBeGreaterThanOrEqual(2); // the intervals' rules and the points
  });

  /** The experiments' own specs, made small (fewer records, epochs and units) but of the same shape. */
  const small = (name: string): string =>
    readFileSync(join(root, 'experiments', `${name}.mia`), 'utf8')
      .replace(/epochs: \d+/g, 'epochs: 2')
      .replace(/adam\(0\.001\)/g, 'adam(0.01)')
      .replace(/take\(1000\)/g, 'take(150)')
      .replace(/size 1000/g, 'size 150')
      .replace(/count \d+/g, 'count 2')
      .replace(/dense\(128, relu\)/g, 'dense(16, relu)')
      .split('\n\n') // four of the defenses' twelve targets: none, DP-SGD, an output-time one and MemGuard
      .filter((block) => !/^target (l2|dropout|smooth|early|top3|rounded|labels|advreg) /.test(block))
      .join('\n\n');
  const head = (file: string): string[] => {
    const th = readFileSync(file, 'utf8').match(/<table class="metrics"><thead><tr>(.*?)<\/tr>/)?.[1] ?? '';
    return [...th.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]!);
  };

  it('the quickstart and the defenses: reports drawn in Chromium, screenshots kept, the declared metrics in their order', async () => {
    mkdirSync(shots, { recursive: true });
    const names = ['quickstart', 'defenses'];
    const runs = await Promise.all(
      names.map((name) => {
        const spec = join(dir, `${name}.mia`);
        writeFileSync(spec, small(name));
        const out = join(dir, name.toUpperCase());
        return miaAsync(['run', spec, '--out', out, '--backend', 'wasm', '--jobs', '2', '--quiet']);
      }),
    );
    for (const [i, name] of names.entries()) {
      const out = join(dir, name.toUpperCase());
      const r = runs[i]!;
      expect(r.code, r.stderr).toBe(0);
      const page = await openReport(join(out, 'report.html'), join(shots, `report-${name}.png`));
      expect(page.errors).toEqual([]);
      for (const p of page.plots) expect(p.marks, p.name).toBeGreaterThanOrEqual(2);
      const metrics = name === 'quickstart' ? ['TPR@0.1%', 'TPR@1%', 'TPR@10%'] : ['TPR@1%', 'TPR@0.1%'];
      expect(head(join(out, 'report.html'))).toEqual(['attack', 'kind', 'AUC', ...metrics, 'bal. acc.', 'advantage']);
      if (name === 'defenses') {
        expect(page.plots[0]!.name).toBe('targets-privacy-utility');
        expect(page.plots.filter((p) => p.name.startsWith('roc-targets-'))).toHaveLength(4);
      }
      expect(
        readFileSync(join(shots, `report-${name}.png`))
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
    }
  });
});

/**
 * Output defenses composed in the order written, and flagged figures, on tiny real runs: each
 * target's release is its defenses' transforms in order (before, only the most restrictive was kept),
 * and figures not to be trusted carry a flag in results.json, a mark in the table and a line saying why.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsJson } from '../../src/report/results.js';
import { mia, root, tempDir } from './helpers.js';

const fixture = (name: string) => join(root, 'test', 'fixtures', name);
const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsJson;
const onGrid = (v: number, decimals: number) => Math.abs(v * 10 ** decimals - Math.round(v * 10 ** decimals)) < 1e-9;

describe('output defenses compose in the order written (end to end)', () => {
  it('releases top_k then rounding rounded, adds noise between them, and keeps labels_only last', async () => {
    const out = tempDir();
    const r = await mia(['run', fixture('releases-tiny.mia'), '--out', out, '--backend', 'wasm', '--jobs', '1']);
    expect(r.code).toBe(0);
    const res = read(out);
    const run = (t: string) => res.runs.find((x) => x.target.name === t)!;
    const scores = (t: string, a: string) => run(t).attacks.find((x) => x.name === a)!.samples.score;

    // [top_k(3), rounding(2)]: the released confidences are rounded (before: top-3 unrounded); a true
    // class outside the top 3 is released as 0, its loss infinite.
    const two = scores('two', 'conf');
    expect(two.every((v) => onGrid(v, 2))).toBe(true);
    expect(scores('base', 'conf').every((v) => onGrid(v, 2))).toBe(false);
    const hidden = two.filter((v) => v === 0).length;
    expect(hidden).toBeGreaterThan(0);
    expect(scores('two', 'loss').filter((v) => v === -Number.MAX_VALUE).length).toBe(hidden);

    // Three chained: the noise comes before the rounding, so confidences are still on the grid, and differ.
    const three = scores('three', 'conf');
    expect(three.every((v) => onGrid(v, 2))).toBe(true);
    expect(three).not.toEqual(two);

    // rounding(0): p_y is 0 or 1, two distinct scores, a measurement (not flagged).
    expect(new Set(scores('zero', 'conf'))).toEqual(new Set([0, 1]));
    expect(
      run('zero')
        .attacks.find((a) => a.name === 'conf')!
        .metrics.flags?.map((f) => f.reason),
    ).toEqual([
      'tpr_at_zero_fp', // the default 0.1% level with 200 non-members, not a score flag
    ]);

    // [top_k(2), labels_only]: labels only, so only the label-only attack runs, on the same labels.
    expect(run('lab').attacks.map((a) => a.name)).toEqual(['gap']);
    expect(scores('lab', 'gap')).toEqual(scores('base', 'gap'));
    expect(r.stdout).toContain('target three [top_k, gaussian_noise, rounding]');
  }, 300_000);

  it('refuses compositions and settings that make no sense at check, with the place', async () => {
    const dir = tempDir();
    const text = (defenses: string) =>
      readFileSync(fixture('releases-tiny.mia'), 'utf8').replace(
        'defenses [top_k(2), labels_only]',
        `defenses [${defenses}]`,
      );
    const line = 15; // the target lab
    // each case: its defenses, the code, and the text at whose start the error points
    for (const [defenses, code, at] of [
      ['labels_only, rounding(1)', 'E163', 'rounding(1)'],
      ['labels_only, top_k(3)', 'E163', 'top_k(3)'],
      ['top_k(3), memguard', 'E163', 'memguard'],
      ['rounding(400)', 'E118', '400'],
      ['rounding(309)', 'E118', '309'],
      ['top_k(11)', 'E164', '11'],
      ['top_k(0)', 'E111', '0)'],
    ] as const) {
      const f = join(dir, `${defenses.replace(/\W+/g, '_')}.mia`);
      writeFileSync(f, text(defenses));
      const col = text(defenses).split('\n')[line - 1]!.lastIndexOf(at) + 1;
      const r = await mia(['check', f]);
      expect(r.code, defenses).toBe(1);
      expect(r.stderr, defenses).toMatch(new RegExp(`:${line}:${col}: error\\[${code}\\]`));
    }
  }, 120_000);
});

describe('flagged figures (end to end)', () => {
  it('says every score equal or non-finite instead of reporting chance, and marks TPR at zero false positives', async () => {
    const out = tempDir();
    const r = await mia(['run', fixture('releases-flat.mia'), '--out', out, '--backend', 'wasm', '--jobs', '1']);
    expect(r.code).toBe(0);
    // W152 at check, at the metric
    expect(r.stderr).toMatch(/releases-flat\.mia:17:28: warning\[W152\]: tpr@0\.1% is below 1\/100 = 1%/);
    const a = (name: string) => read(out).runs[0]!.attacks.find((x) => x.name === name)!;
    const reasons = (name: string) => a(name).metrics.flags?.map((f) => f.reason);
    // rounding(0) on a model below 50% everywhere: every probability released is 0
    expect(reasons('loss')).toEqual(['scores_non_finite', 'tpr_at_zero_fp']);
    expect(reasons('conf')).toEqual(['scores_constant', 'tpr_at_zero_fp']);
    expect(reasons('gap')).toEqual(['tpr_at_zero_fp']);
    expect(a('gap').metrics.flags![0]!.levels).toEqual(['0.001']);
    expect(a('conf').metrics.auc).toBe(0.5); // kept, beside its flag
    // the table: a mark on each figure, a line for each flag
    expect(r.stdout).toMatch(/^conf +threshold +0\.5000! +0\.0000! +0\.0000!$/m);
    expect(r.stdout).toMatch(/^gap +label_only +0\.\d{4} +0\.\d{4}\* +0\.\d{4}$/m);
    expect(r.stdout).toContain('! loss: Every score is non-finite (infinite)');
    expect(r.stdout).toContain('! conf: Every score is 0: the attack tells no record from another');
    expect(r.stdout).toContain('* With 100 non-members the smallest false-positive rate above 0 is 1/100 = 1%');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<span class="flag">!</span>');
    expect(html).toContain('<li>! conf: Every score is 0: the attack tells no record from another');
  }, 300_000);
});

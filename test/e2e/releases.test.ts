/**
 * Output defenses composed in the order written, and flagged figures, on tiny real runs: each
 * target's release is its defenses' transforms in order (before, only the most restrictive was kept),
 * and figures not to be trusted carry a flag in results.json, a mark in the table and a line saying why.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
      ['labels_only, rounding(1)', 'E165', 'rounding(1)'],
      ['labels_only, top_k(3)', 'E165', 'top_k(3)'],
      ['top_k(3), memguard', 'E165', 'memguard'],
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

describe('online attacks are reported only when their IN models exist (end to end)', () => {
  it('runs online RMIA and LiRA on shadows trained on the scored records; refuses them on shadows trained on none', async () => {
    const out = tempDir();
    const r = await mia(['run', fixture('online-tiny.mia'), '--out', out, '--backend', 'wasm', '--jobs', '1']);
    expect(r.code).toBe(0);
    const attacks = read(out).runs[0]!.attacks;
    expect(attacks.map((a) => [a.name, a.kind])).toEqual([
      ['rmia', 'rmia'],
      ['lira', 'lira'],
    ]);
    for (const a of attacks) expect(a.metrics.auc).toBeGreaterThan(0.5);

    // the same spec on a pool that holds none of the target's records: refused before any work
    const dir = tempDir();
    const off = join(dir, 'off.mia');
    writeFileSync(
      off,
      readFileSync(fixture('online-tiny.mia'), 'utf8').replace(
        'pool digits.taken',
        'pool digits.rest.classes([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])',
      ),
    );
    const p = await mia(['run', off, '--out', join(dir, 'out'), '--backend', 'wasm']);
    expect(p.code).toBe(1);
    expect(p.stderr).toMatch(
      /off\.mia:10:1: error\[E409\]: The online RMIA attack "rmia" scores no record that is in the training set of any reference model of "refs": .* \(it would be offline RMIA under the online name\)/,
    );
    expect(existsSync(join(dir, 'out', 'results.json'))).toBe(false);
    // where check can tell (a .rest pool beside the targets' takes), it says so at the mode (E312)
    writeFileSync(off, readFileSync(off, 'utf8').replace('.classes([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])', ''));
    const c = await mia(['check', off]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/off\.mia:10:43: error\[E312\]/);
  }, 300_000);

  it('mia attack --signals leaves out rmia_online when no scored record is IN a reference model', async () => {
    const dir = tempDir();
    const n = 120; // 40 members, 40 non-members, 40 population records
    const member = Array.from({ length: n }, (_, i) => (i < 40 ? 1 : i < 80 ? 0 : -1));
    const labels = member.map((_, i) => i % 3);
    const logit = (r: number, k: number) =>
      Array.from({ length: 3 }, (_, c) =>
        c === labels[r] ? 1 + ((r * 7 + k * 13) % 11) / 5 + (member[r] === 1 ? 0.5 : 0) : 0,
      );
    const models = [0, 1, 2, 3];
    writeFileSync(
      join(dir, 's.json'),
      JSON.stringify({
        member,
        labels,
        target: { logits: member.map((_, r) => logit(r, 9)) },
        // population records are IN half the models; no member or non-member is IN any
        references: {
          logits: models.map((k) => member.map((_, r) => logit(r, k))),
          in: models.map((k) => member.map((m, r) => (m === -1 && (r + k) % 2 === 0 ? 1 : 0))),
        },
      }),
    );
    const r = await mia(['attack', '--signals', join(dir, 's.json'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(0);
    const names = read(join(dir, 'out')).runs[0]!.attacks.map((a) => a.name);
    expect(names).toContain('rmia_offline');
    expect(names).not.toContain('rmia_online');
    expect(names.some((x) => x.startsWith('lira_online'))).toBe(false);
    expect(r.stderr).toContain(
      "rmia online needs IN models, but no scored record is in any reference model's training set (it would be offline rmia under the online name). That mode is skipped.",
    );
  }, 120_000);
});

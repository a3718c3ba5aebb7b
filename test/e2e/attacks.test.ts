import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mia, miaAsync, root, tempDir } from './helpers.js';
import { expectMetricsAgree, type Results } from './independent-metrics.js';

describe('every attack family from a .mia file (end to end)', () => {
  it('runs threshold, shadow_model, ml_leaks, label_only, lira, rmia and population on tiny models', async () => {
    const out = tempDir();
    const r = await miaAsync([
      'run',
      join(root, 'test', 'fixtures', 'attacks-tiny.mia'),
      '--out',
      out,
      '--backend',
      'wasm',
    ]);
    expect(r.stderr).not.toContain('failed');
    expect(r.code).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    const run = res.runs[0]!;
    expect(run.attacks.map((a) => a.kind)).toEqual([
      'threshold',
      'threshold',
      'shadow_model',
      'ml_leaks',
      'label_only',
      'label_only',
      'label_only',
      'lira',
      'lira',
      'rmia',
      'rmia',
      'population',
    ]);
    const t = run.target;
    expect(t.generalizationGap).toBeCloseTo(t.trainAccuracy - t.testAccuracy, 12);
    const A = t.trainAccuracy / t.testAccuracy,
      L = t.testLoss / t.trainLoss;
    expect(t.vulnerability).toBeCloseTo(Math.log((2 * A * L) / (A + L)), 12);
    for (const a of run.attacks) {
      expect(a.samples.score).toHaveLength(400);
      expect(a.samples.score.every(Number.isFinite)).toBe(true);
      expect(a.perClass.map((c) => c.class)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expectMetricsAgree(a);
    }
    const gap = run.attacks.find((a) => a.name === 'gap')!;
    expect(new Set(gap.samples.score)).toEqual(new Set([0, 1]));
    const noise = run.attacks.find((a) => a.name === 'noise')!;
    // The fraction of 5 copies (the record and 4 noisy ones) classified correctly.
    for (const s of noise.samples.score) expect(Math.abs(s * 5 - Math.round(s * 5))).toBeLessThan(1e-9);
    const pop = run.attacks.find((a) => a.name === 'pop')!;
    const loss = run.attacks.find((a) => a.name === 'loss')!;
    // The population score is a decreasing function of the loss: same ranking, same AUC.
    expect(Math.abs(pop.metrics.auc - loss.metrics.auc)).toBeLessThan(0.01);
  });

  it('refuses online LiRA on shadows not sampled half, with what to do', async () => {
    const dir = tempDir();
    const f = join(dir, 'bad.mia');
    const src = readFileSync(join(root, 'test', 'fixtures', 'attacks-tiny.mia'), 'utf8').replace(
      'lira { shadows: half, mode: online',
      'lira { shadows: refs, mode: online',
    );
    writeFileSync(f, src);
    const r = await mia(['check', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[E310]: The online LiRA attack "lira_on" needs shadows sampled half');
    expect(r.stderr).toContain('sampling half');
  });

  it('checks every experiment in experiments/', async () => {
    const r = await mia([
      'check',
      ...[
        'quickstart',
        'attacks-threshold',
        'attacks-shokri',
        'attacks-label-only',
        'attacks-lira',
        'attacks-rmia',
        'attacks-population',
      ].map((n) => join(root, 'experiments', `${n}.mia`)),
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

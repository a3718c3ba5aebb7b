/** Every defense end to end on tiny real runs: several targets in one results.json, each defense's effect. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dpSgdEpsilon } from '../../src/defenses/accountant/rdp.js';
import type { ResultsJson } from '../../src/report/results.js';
import { mia, miaAsync, root, tempDir } from './helpers.js';

const fixture = join(root, 'test', 'fixtures', 'defenses-tiny.mia');

describe('defenses end to end', () => {
  it('runs every defense, a run per target, with the effect each defense should have', async () => {
    const out = tempDir();
    const r = await miaAsync(['run', fixture, '--out', out, '--backend', 'wasm', '--jobs', '1']);
    expect(r.stderr).not.toContain('failed');
    expect(r.code).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsJson;
    const run = (name: string) => res.runs.find((x) => x.target.name === name)!;
    expect(res.runs.map((x) => x.target.name)).toEqual([
      'base',
      'dp',
      'drop',
      'smooth',
      'top',
      'round',
      'labels',
      'guard',
      'adv',
    ]);
    const scores = (t: string, a: string) => run(t).attacks.find((x) => x.name === a)!.samples.score;

    // DP-SGD: ε is the accountant's for the noise, sampling rate and steps used, at most the target ε.
    const p = run('dp').target.privacy!;
    expect(p.epsilon).toBe(
      dpSgdEpsilon({ datasetSize: 200, batchSize: 50, epochs: 3, delta: 1e-5, noise: p.noise }).epsilon,
    );
    expect(p.epsilon).toBeLessThanOrEqual(2);
    expect(run('dp').target).toMatchObject({ epsilon: p.epsilon, delta: 1e-5, noise: p.noise, defenses: ['dp_sgd'] });
    expect(p).toMatchObject({ steps: 12, sampling: 0.25, clip: 1 });
    expect(run('base').target.privacy).toBeUndefined();

    // Early stopping holds out 20% of the members: only 160 are members (scored), as many non-members.
    expect(scores('smooth', 'loss').length).toBe(360);
    expect(scores('base', 'loss').length).toBe(400);

    // top_k(1): the released vector is one probability and zeros, so the confidence score is the top one,
    // and the loss is infinite (a released zero) wherever the prediction is wrong.
    const topLoss = scores('top', 'loss');
    const wrong = run('top')
      .attacks.find((x) => x.name === 'gap')!
      .samples.score.filter((s) => s === 0).length;
    expect(topLoss.filter((s) => s === -Number.MAX_VALUE).length).toBe(wrong);

    // rounding(1): confidences are multiples of 0.1.
    for (const s of scores('round', 'conf')) expect(Math.abs(s * 10 - Math.round(s * 10))).toBeLessThan(1e-6);

    // labels_only: only label-only attacks run, on one-hot answers.
    expect(run('labels').attacks.map((a) => a.name)).toEqual(['gap']);
    expect(scores('labels', 'gap')).toEqual(scores('base', 'gap'));

    // MemGuard keeps every predicted label (same accuracy and gap-attack scores) but changes the confidences.
    expect(run('guard').target.testAccuracy).toBe(run('base').target.testAccuracy);
    expect(scores('guard', 'gap')).toEqual(scores('base', 'gap'));
    expect(scores('guard', 'conf')).not.toEqual(scores('base', 'conf'));

    // Every trained variant differs from the undefended model.
    for (const t of ['dp', 'drop', 'smooth', 'adv']) expect(scores(t, 'loss')).not.toEqual(scores('base', 'loss'));
    expect(r.stdout).toContain('privacy and utility per target:');
  }, 600_000);

  it('shares shadow train jobs between targets in mia plan', async () => {
    const r = await mia(['plan', fixture]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/train\/shadow\/refs\/\d/g)?.length).toBeGreaterThan(0);
    expect(new Set(r.stdout.match(/train\/shadow\/[^\s/]+\/\d/g)).size).toBe(2);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../src/data/index.js';
import { makeRng } from '../../src/util/rng.js';
import { expectMetricsAgree } from './independent-metrics.js';
import { mia, tempDir } from './helpers.js';

/** 200 members, 200 non-members, 200 population records; 8 reference models, each record IN for 4. */
function synthetic(seed: number) {
  const rng = makeRng(seed);
  const n = 600,
    M = 8,
    C = 3,
    shift = 1.5;
  const member = Array.from({ length: n }, (_, i) => (i < 200 ? 1 : i < 400 ? 0 : -1));
  const labels = Array.from({ length: n }, () => rng.int(C));
  const mu = Array.from({ length: n }, () => 2 + 2 * rng.normal());
  const isIn = Array.from({ length: M }, () => new Array<number>(n).fill(0));
  for (let r = 0; r < n; r++) {
    const order = [0, 1, 2, 3, 4, 5, 6, 7].sort(() => rng.next() - 0.5);
    for (const k of order.slice(0, 4)) isIn[k]![r] = 1;
  }
  // φ = z_y − logsumexp(others) with the other two logits 0: z_y = φ + log 2.
  const logitsOf = (phi: number[]) =>
    phi.map((p, r) => Array.from({ length: C }, (_, c) => (c === labels[r] ? p + Math.log(2) : 0)));
  const targetPhi = mu.map((m, r) => m + shift * (member[r] === 1 ? 1 : 0) + 0.5 * rng.normal());
  const refPhi = isIn.map((mask) => mu.map((m, r) => m + shift * mask[r]! + 0.5 * rng.normal()));
  const loss = (phi: number) => Math.log1p(Math.exp(-phi)); // −log sigmoid(φ)
  return {
    n,
    M,
    member,
    labels,
    isIn,
    targetLogits: logitsOf(targetPhi),
    refLogits: refPhi.map(logitsOf),
    targetLoss: targetPhi.map(loss),
    refLoss: refPhi.map((p) => p.map(loss)),
  };
}

interface Res {
  experiment: string;
  backend: string;
  runs: {
    target: { trainAccuracy: number | null; vulnerability: number | null };
    attacks: Parameters<typeof expectMetricsAgree>[0][];
  }[];
}
const read = (dir: string): Res => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Res;

describe('mia attack --signals (end to end)', () => {
  it('runs every scoring attack on logits given inline in JSON; LiRA finds the planted shift', async () => {
    const d = synthetic(1);
    const dir = tempDir();
    const f = join(dir, 'audit.json');
    writeFileSync(
      f,
      JSON.stringify({
        member: d.member,
        labels: d.labels,
        target: { logits: d.targetLogits },
        references: { logits: d.refLogits, in: d.isIn },
      }),
    );
    const r = await mia(['attack', '--signals', f, '--out', join(dir, 'out'), '--seed', '3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/lira_online\s+lira\s+0\.\d{4}/);
    const res = read(join(dir, 'out'));
    expect(res.experiment).toBe('audit');
    expect(res.backend).toBe('none');
    const attacks = res.runs[0]!.attacks;
    expect(attacks.map((a) => a.name)).toEqual([
      'loss',
      'confidence',
      'entropy',
      'modified_entropy',
      'lira_offline',
      'lira_offline_fixed',
      'lira_online',
      'lira_online_fixed',
      'rmia_offline',
      'rmia_online',
      'population',
    ]);
    for (const a of attacks) {
      expect(a.samples.score).toHaveLength(400);
      expectMetricsAgree(a);
    }
    const auc = (name: string) => attacks.find((a) => a.name === name)!.metrics.auc;
    const tpr = (name: string) => attacks.find((a) => a.name === name)!.metrics.tprAtFpr['0.01']!;
    expect(auc('lira_online')).toBeGreaterThan(auc('loss') + 0.1);
    expect(tpr('lira_online_fixed')).toBeGreaterThan(tpr('loss') + 0.05);
    expect(auc('lira_offline')).toBeGreaterThan(auc('loss') + 0.1);
    expect(auc('rmia_online')).toBeGreaterThan(auc('loss') + 0.1);
    expect(res.runs[0]!.target.trainAccuracy).not.toBeNull();
  });

  it('reads .npy arrays (float32, float64, int64, bool) named in the JSON, and gives what inline JSON gives', async () => {
    const d = synthetic(2);
    const dir = tempDir();
    const f32 = Float32Array.from(d.targetLoss);
    writeFileSync(join(dir, 'target_loss.npy'), writeNpy([d.n], f32, '<f4'));
    writeFileSync(join(dir, 'ref_loss.npy'), writeNpy([d.M, d.n], d.refLoss.flat(), '<f8'));
    writeFileSync(join(dir, 'in.npy'), writeNpy([d.M, d.n], d.isIn.flat(), '|b1'));
    writeFileSync(join(dir, 'member.npy'), writeNpy([d.n], d.member, '<i8'));
    const npyFile = join(dir, 'npy.json');
    writeFileSync(
      npyFile,
      JSON.stringify({
        member: 'member.npy',
        target: { loss: 'target_loss.npy' },
        references: { loss: 'ref_loss.npy', in: 'in.npy' },
      }),
    );
    const inlineFile = join(dir, 'inline.json');
    writeFileSync(
      inlineFile,
      JSON.stringify({
        member: d.member,
        target: { loss: Array.from(f32) },
        references: { loss: d.refLoss, in: d.isIn.map((m) => m.map(Boolean)) },
      }),
    );
    const r1 = await mia([
      'attack',
      '--signals',
      npyFile,
      '--out',
      join(dir, 'a'),
      '--attack',
      'lira',
      '--attack',
      'threshold',
      '--attack',
      'population',
    ]);
    expect(r1.code).toBe(0);
    const r2 = await mia([
      'attack',
      '--signals',
      inlineFile,
      '--out',
      join(dir, 'b'),
      '--attack',
      'lira',
      '--attack',
      'threshold',
      '--attack',
      'population',
    ]);
    expect(r2.code).toBe(0);
    const a = read(join(dir, 'a')).runs[0]!,
      b = read(join(dir, 'b')).runs[0]!;
    // Losses only: no accuracy, no entropy.
    expect(a.target.trainAccuracy).toBeNull();
    expect(a.attacks.map((x) => x.name)).toEqual([
      'lira_offline',
      'lira_offline_fixed',
      'lira_online',
      'lira_online_fixed',
      'loss',
      'confidence',
      'population',
    ]);
    expect(a.attacks.map((x) => x.samples.score)).toEqual(b.attacks.map((x) => x.samples.score));
    for (const x of a.attacks) expectMetricsAgree(x);
  });

  it('reports malformed signals as user errors naming the field, and usage errors with exit 2', async () => {
    const dir = tempDir();
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify({ member: [1, 0, 1], target: { loss: [0.1, 0.2] } }));
    const r = await mia(['attack', '--signals', f, '--out', join(dir, 'o')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The signals field "target.loss" has shape [2]; expected [3].');
    writeFileSync(f, JSON.stringify({ member: [1, 0], target: { loss: [0.1, 0.2] } }));
    const r2 = await mia(['attack', '--signals', f, '--attack', 'lira', '--out', join(dir, 'o')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('The lira attack cannot run on these signals: no reference models.');
    expect((await mia(['attack'])).code).toBe(2);
    expect((await mia(['attack', '--signals', f, '--attack', 'magic'])).code).toBe(2);
  });

  it('refuses impossible signals: NaN in a .npy, negative losses, references with other classes than the target', async () => {
    const dir = tempDir();
    const f = join(dir, 's.json');
    writeFileSync(join(dir, 'nan.npy'), writeNpy([2], [0.1, NaN], '<f4'));
    writeFileSync(f, JSON.stringify({ member: [1, 0], target: { loss: 'nan.npy' } }));
    let r = await mia(['attack', '--signals', f, '--out', join(dir, 'o')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The signals field "target.loss" holds NaN at flat index 1');
    writeFileSync(f, JSON.stringify({ member: [1, 0], target: { loss: [-1, 0.5] } }));
    r = await mia(['attack', '--signals', f, '--out', join(dir, 'o')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('holds -1 at flat index 0; a cross-entropy loss −log p_y is never negative');
    writeFileSync(
      f,
      JSON.stringify({
        member: [1, 0],
        labels: [0, 1],
        target: {
          logits: [
            [1, 0, 0],
            [0, 1, 0],
          ],
        },
        references: {
          logits: [
            [
              [1, 0],
              [0, 1],
            ],
          ],
          in: [[1, 0]],
        },
      }),
    );
    r = await mia(['attack', '--signals', f, '--out', join(dir, 'o')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"references.logits" has 2 classes but "target.logits" has 3');
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});

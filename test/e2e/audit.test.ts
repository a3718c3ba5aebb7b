import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { miaAsync, root, tempDir } from './helpers.js';

const tiny = readFileSync(join(root, 'test', 'fixtures', 'tiny.mia'), 'utf8');

interface Estimate {
  method: string;
  epsilon: number;
  threshold: number | null;
  counts: { in: number; out: number; guesses: number; correct: number };
}

describe('a run with canaries and an audit (end to end)', () => {
  it('writes ε̂ per audited attack and method beside the usual metrics, in results.json, the table and the report', async () => {
    const dir = tempDir('mia-audit-');
    const spec = join(dir, 'audit.mia');
    writeFileSync(
      spec,
      tiny
        .replace(
          'nonmembers digits.take(200)',
          'nonmembers digits.take(200)\n  canaries   digits.take(200) { mislabel: true }',
        )
        .replace(
          'report { metrics [auc, tpr@1%, balanced_accuracy, advantage] }',
          'report { metrics [auc, tpr@1%], audit { attacks [loss, shokri], threshold: split } }',
        ),
    );
    const out = join(dir, 'out');
    const r = await miaAsync(['run', spec, '--out', out, '--backend', 'wasm', '--jobs', '1', '--no-cache', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const run = results.runs[0];
    // the usual metrics stay on members and non-members only
    for (const a of run.attacks) expect(a.samples.record.length).toBe(400);
    const audit = run.audit;
    expect(audit).toMatchObject({
      confidence: 0.95,
      delta: 1e-5,
      threshold: 'split',
      claimedEpsilon: null,
      failed: false,
    });
    expect(audit.canaries.in + audit.canaries.out).toBe(200);
    expect(audit.canaries.mislabel).toBe(true);
    expect(audit.attacks.map((a: { attack: string }) => a.attack)).toEqual(['loss', 'shokri']);
    for (const a of audit.attacks) {
      expect(a.estimates.map((e: Estimate) => e.method)).toEqual(['clopper_pearson', 'one_run', 'one_run_fdp', 'gdp']);
      for (const e of a.estimates as Estimate[]) {
        expect(e.epsilon).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(e.epsilon)).toBe(true);
        expect(e.counts.correct).toBeLessThanOrEqual(e.counts.guesses);
      }
      expect(a.canaries.score.length).toBe(200);
      expect(a.canaries.in.filter((x: number) => x === 1).length).toBe(audit.canaries.in);
    }
    expect(r.stdout).toMatch(/privacy audit: \d+ IN \/ \d+ OUT canaries \(mislabelled\)/);
    expect(r.stdout).toMatch(/\nshokri +\d+\.\d{3} +\d+\.\d{3} +\d+\.\d{3} +\d+\.\d{3}/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h3>Privacy audit</h3>');
    expect(html).toContain('<th>ε̂ one_run_fdp</th>');
  }, 300_000);
});

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mia, root, tempDir, withoutInvocation } from './helpers.js';

const require = createRequire(import.meta.url);
const tiny = join(root, 'test', 'fixtures', 'tiny.mia');

interface Results {
  experiment: string;
  seed: number;
  backend: string;
  runs: {
    params: object;
    target: { name: string; trainAccuracy: number; testAccuracy: number };
    attacks: {
      name: string;
      kind: string;
      metrics: { auc: number; tprAtFpr: Record<string, number>; balancedAccuracy: number; advantage: number };
      samples: { score: number[]; member: number[] };
    }[];
  }[];
}

describe('mia run (end to end)', () => {
  it('trains real models and writes results.json; the same seed gives the same file', async () => {
    const out1 = tempDir();
    const r1 = await mia(['run', tiny, '--out', out1, '--backend', 'wasm']);
    expect(r1.stderr).toContain('on the wasm backend');
    expect(r1.code).toBe(0);
    const text1 = readFileSync(join(out1, 'results.json'), 'utf8');
    const res = JSON.parse(text1) as Results;
    expect(res.experiment).toBe('tiny');
    expect(res.seed).toBe(3);
    expect(res.backend).toBe('wasm');
    expect(res.runs).toHaveLength(1);
    const run = res.runs[0]!;
    expect(run.target.name).toBe('victim');
    expect(run.target.trainAccuracy).toBeGreaterThan(0.8);
    expect(run.target.testAccuracy).toBeGreaterThan(0.5);
    expect(run.attacks.map((a) => [a.name, a.kind])).toEqual([
      ['loss', 'threshold'],
      ['conf', 'threshold'],
      ['shokri', 'shadow_model'],
    ]);
    for (const a of run.attacks) {
      expect(a.samples.score).toHaveLength(400);
      expect(a.samples.member.filter((m) => m === 1)).toHaveLength(200);
      expect(a.metrics.auc).toBeGreaterThan(0.3);
      expect(a.metrics.auc).toBeLessThan(1);
      expect(Object.keys(a.metrics.tprAtFpr)).toEqual(expect.arrayContaining(['0.001', '0.01', '0.1']));
    }
    expect(r1.stdout).toMatch(/loss\s+threshold\s+0\.\d{4}/);

    const out2 = tempDir();
    const r2 = await mia(['run', tiny, '--out', out2, '--backend', 'wasm']);
    expect(r2.code).toBe(0);
    // byte-identical but for provenance.invocation (the command line names another --out)
    expect(withoutInvocation(readFileSync(join(out2, 'results.json'), 'utf8'))).toBe(withoutInvocation(text1));
  });

  it('exits 2 on usage errors', async () => {
    expect((await mia(['run', tiny, '--bogus'])).code).toBe(2);
    const missing = await mia(['run', 'no/such/file.mia']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No such file: no/such/file.mia');
    expect((await mia(['frobnicate'])).code).toBe(2);
    expect((await mia(['run', tiny, '--backend', 'gpu'])).code).toBe(2);
  });

  it('exits 1 on a bad spec with file:line:col, a code frame and no stack trace', async () => {
    const dir = tempDir();
    const f = join(dir, 'bad.mia');
    writeFileSync(f, readFileSync(tiny, 'utf8').replace('model      small', 'model      smal'));
    const r = await mia(['run', f, '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f}:12:14: error[E202]: Unknown model "smal". Did you mean "small"?`);
    expect(r.stderr).toContain('^^^^');
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('explains that tfjs-node is not installed when asked for it here, and exits 1', async () => {
    const r = await mia(['run', tiny, '--backend', 'tfjs-node', '--out', tempDir()]);
    let native = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      native = false;
    }
    if (native) expect(r.code).toBe(0);
    else {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('tfjs-node backend is not installed');
    }
  });

  it('exits 1 when the data cannot hold the requested splits, naming the numbers', async () => {
    const dir = tempDir();
    const f = join(dir, 'big.mia');
    writeFileSync(f, readFileSync(tiny, 'utf8').replace('members    digits.take(200)', 'members    digits.take(9900)'));
    const r = await mia(['run', f, '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has 10,?000 records/); // mia check now catches it before any training (E302)
  });
});

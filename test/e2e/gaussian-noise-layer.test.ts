/**
 * A layer kind added as one file plus one list line (src/ml/layers/gaussian-noise.ts): read, checked,
 * planned, trained and attacked end to end, with seeded noise so a run is repeatable.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsJson } from '../../src/report/results.js';
import { mia, tempDir } from './helpers.js';

const SPEC = `experiment noisy_layer { seed 3 }
dataset digits = mnist
model plain {
  layers [dense(16, relu), dense(classes, softmax)]
  train  { optimizer: adam(0.01), epochs: 2, batch: 50 }
}
model noisy {
  layers [gaussian_noise(0.5), dense(16, relu), dense(classes, softmax)]
  train  { optimizer: adam(0.01), epochs: 2, batch: 50 }
}
target base  { model plain, members digits.take(150), nonmembers digits.take(150) }
target noise { model noisy, members digits.take(150), nonmembers digits.take(150) }
attack loss = threshold { signal: loss }
`;

describe('the gaussian_noise layer end to end', () => {
  it('trains a model with it and attacks it, the same scores on a second run without the cache', async () => {
    const dir = tempDir();
    const spec = join(dir, 'noisy.mia');
    writeFileSync(spec, SPEC);
    const scores = async (out: string) => {
      const r = await mia(['run', spec, '--out', join(dir, out), '--no-cache', '--backend', 'wasm', '--jobs', '1']);
      expect(r.stderr).not.toContain('failed');
      expect(r.code).toBe(0);
      const res = JSON.parse(readFileSync(join(dir, out, 'results.json'), 'utf8')) as ResultsJson;
      expect(res.runs.map((x) => x.target.name)).toEqual(['base', 'noise']);
      return res.runs.map((x) => x.attacks[0]!.samples.score);
    };
    const [base, noise] = await scores('a');
    expect(noise).toHaveLength(300);
    for (const s of noise!) expect(Number.isFinite(s)).toBe(true);
    expect(noise).not.toEqual(base);
    expect(await scores('b')).toEqual([base, noise]);
  }, 240_000);

  it('refuses a stddev of 0 at check time, naming the layer', async () => {
    const dir = tempDir();
    const spec = join(dir, 'bad.mia');
    writeFileSync(spec, SPEC.replace('gaussian_noise(0.5)', 'gaussian_noise(0)'));
    const r = await mia(['check', spec]);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toContain('The stddev of gaussian_noise must be greater than 0, not 0.');
  });
});

import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../src/cli/plan-command.js';
import { Cache } from '../../src/run/index.js';
import { root, tempDir } from '../e2e/helpers.js';

const corrupt = (dir: string, hash: string): void => {
  const file = readdirSync(join(dir, hash)).find((f) => f !== 'entry.json')!;
  writeFileSync(join(dir, hash, file), 'garbage');
};

describe('a corrupt cache entry is not called cached', () => {
  it('Cache.verify checks an entry without removing it', () => {
    const dir = tempDir();
    const cache = new Cache(dir);
    const hash = 'a'.repeat(64);
    cache.put(hash, 'train', { kind: 'train', weights: new Float32Array([1, 2, 3]) });
    expect(cache.verify(hash).status).toBe('hit');
    corrupt(dir, hash);
    expect(cache.has(hash)).toBe(true);
    expect(cache.verify(hash)).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/bytes|checksum/) });
    expect(cache.has(hash)).toBe(true);
    expect(cache.verify('b'.repeat(64)).status).toBe('miss');
  });

  it('mia plan marks a corrupt entry as to run, with a note, and an intact one as cached', async () => {
    const dir = tempDir();
    const spec = join(root, 'test', 'fixtures', 'tiny.mia');
    const run = async () => {
      const out: string[] = [];
      const err: string[] = [];
      await planCommand(
        { file: spec, format: 'json', backend: 'cpu', cache: dir },
        (s) => out.push(s),
        (s) => err.push(s),
      );
      return { plan: JSON.parse(out.join('')) as { jobs: { hash: string; label: string; cached: boolean }[] }, err };
    };
    const { plan } = await run();
    const [a, b] = plan.jobs;
    const cache = new Cache(dir);
    for (const j of [a!, b!]) cache.put(j.hash, 'train', { kind: 'train', weights: new Float32Array([1]) });
    corrupt(dir, b!.hash);
    const again = await run();
    const by = (h: string) => again.plan.jobs.find((j) => j.hash === h)!;
    expect(by(a!.hash).cached).toBe(true);
    expect(by(b!.hash).cached).toBe(false);
    expect(again.err.join('')).toContain(`the cached ${b!.label} is corrupt`);
  });
});

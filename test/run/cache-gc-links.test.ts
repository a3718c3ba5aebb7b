/**
 * `mia cache gc` walks the folder it is given for specs and sizes cache entries: symbolic links are
 * never followed there, so links to a parent (which make the tree infinite) end like any other file.
 */
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheGcCommand, findSpecs } from '../../src/cli/cache-command.js';
import { Cache } from '../../src/run/index.js';
import { root, tempDir } from '../e2e/helpers.js';

describe('mia cache gc and symbolic links', () => {
  it('finds specs without following two links to a parent (or a link to a spec)', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    copyFileSync(join(root, 'test', 'fixtures', 'tiny.mia'), join(dir, 'a', 'b', 'e.mia'));
    symlinkSync('..', join(dir, 'a', 'b', 'up'));
    symlinkSync('../..', join(dir, 'a', 'b', 'top'));
    symlinkSync('e.mia', join(dir, 'a', 'b', 'linked.mia'));
    expect(findSpecs(dir)).toEqual([join(dir, 'a', 'b', 'e.mia')]);
  });

  it('ends on a cache whose entry holds links to its parents, removing the entry and not what the links lead to', () => {
    const dir = tempDir();
    const cache = join(dir, 'cache');
    const entry = join(cache, 'a'.repeat(64));
    mkdirSync(entry, { recursive: true });
    writeFileSync(join(entry, 'entry.json'), '{}');
    writeFileSync(join(dir, 'keep.txt'), 'kept');
    symlinkSync('..', join(entry, 'up'));
    symlinkSync('../..', join(entry, 'top'));
    symlinkSync(dir, join(dir, 'self'));
    symlinkSync('.', join(dir, 'here'));
    expect(new Cache(cache).size('a'.repeat(64))).toBeLessThan(1000);
    const out: string[] = [];
    expect(
      cacheGcCommand(
        { dir, cache, dryRun: false },
        (s) => out.push(s),
        (s) => out.push(s),
      ),
    ).toBe(0);
    expect(out.join('')).toMatch(/^removed 1 cache entry .*referenced by 0 experiments/);
    expect(new Cache(cache).list()).toEqual([]);
    expect(findSpecs(dir)).toEqual([]);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('kept');
  });
});

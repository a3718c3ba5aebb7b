/**
 * A full disk while writing results.json, report.html or cache entries, on a real small file system
 * (tmpfs of 8 MB, mounted for the test; CI runs as root, and a mount that fails fails the test): one
 * line naming the path and what to do, exit 1, and nothing half-written (no temporary file left, an
 * earlier file unchanged).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/util/atomic.js';
import { Cache } from '../../src/run/cache.js';
import { mia, root, tempDir } from './helpers.js';

const tiny = join(root, 'test', 'fixtures', 'tiny.mia');
const disk = tempDir('mia-disk-full-');
const cache = tempDir();

/** Fills the file system but for about `room` bytes. */
function fill(dir: string, room: number): void {
  const free = Number(execFileSync('df', ['--output=avail', '-B1', dir], { encoding: 'utf8' }).split('\n')[1]);
  writeFileSync(join(dir, 'filler'), Buffer.alloc(Math.max(0, free - room)));
}

beforeAll(() => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', disk]);
});

afterAll(() => {
  execFileSync('umount', [disk]);
  rmSync(disk, { recursive: true, force: true });
});

const leftovers = (dir: string): string[] =>
  readdirSync(dir).filter((n) => n.endsWith('.tmp') || n.startsWith('.tmp-'));

describe('a full disk', () => {
  it('an atomic write that runs out of space names the file, leaves no temporary file and the old bytes', () => {
    const dir = join(disk, 'atomic');
    mkdirSync(dir);
    writeFileAtomic(join(dir, 'results.json'), '{"old": true}');
    fill(disk, 8192);
    for (const size of [64 * 1024, 300 * 1024]) {
      let error: unknown;
      try {
        writeFileAtomic(join(dir, 'results.json'), 'x'.repeat(size));
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'ENOSPC', path: join(dir, 'results.json') });
      expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe('{"old": true}');
      expect(leftovers(dir)).toEqual([]);
    }
    rmSync(join(disk, 'filler'));
    rmSync(dir, { recursive: true });
  });

  it('a cache entry that does not fit is not published, and its temporary folder is removed', () => {
    const dir = join(disk, 'cache');
    fill(disk, 8192);
    const cache = new Cache(dir);
    const hash = 'a'.repeat(64);
    expect(() => cache.put(hash, 'train/x', { weights: new Float32Array(100_000) })).toThrow(/ENOSPC/);
    expect(cache.has(hash)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    rmSync(join(disk, 'filler'));
    rmSync(dir, { recursive: true });
  });

  it('mia run: results.json that does not fit is one line naming it and what to do, exit 1, nothing half-written', async () => {
    const out = join(disk, 'results');
    mkdirSync(out);
    fill(disk, 1024);
    const r = await mia(['run', tiny, '--backend', 'wasm', '--out', out, '--cache', cache], { timeout: 240_000 });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe(
      `mia: no space left on the device writing ${join(out, 'results.json')} (ENOSPC); free some space, or pass --out (or --cache) to write elsewhere.`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, 'results.json'))).toBe(false);
    expect(readdirSync(out)).toEqual([]);
    rmSync(join(disk, 'filler'));
    rmSync(out, { recursive: true });
  }, 300_000);

  it('mia report: report.html that does not fit is one line naming it, exit 1, and results.json untouched', async () => {
    const done = tempDir();
    const ok = await mia(['run', tiny, '--backend', 'wasm', '--out', done, '--cache', cache], { timeout: 240_000 });
    expect(ok.code).toBe(0);
    const dir = join(disk, 'report');
    mkdirSync(dir);
    const results = readFileSync(join(done, 'results.json'));
    writeFileSync(join(dir, 'results.json'), results);
    fill(disk, 1024);
    const r = await mia(['report', join(dir, 'results.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `mia: no space left on the device writing ${join(dir, 'report.html')} (ENOSPC); free some space, or pass --out (or --cache) to write elsewhere.\n`,
    );
    expect(readdirSync(dir)).toEqual(['results.json']);
    expect(readFileSync(join(dir, 'results.json'))).toEqual(results);
    rmSync(join(disk, 'filler'));
  }, 300_000);
});

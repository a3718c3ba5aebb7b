import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cachedParse, type CsvParsed, DataError, parseCsv } from '../../../src/data/index.js';
import { put, tempDir } from './helpers.js';

/** A cached parse of a CSV with this text (label y), with its folder and cache folder. */
function csvRequest(text: string) {
  const dir = tempDir();
  const cacheDir = join(dir, 'cache');
  const file = put(dir, 't.csv', text);
  const req = {
    cacheDir,
    format: 'csv',
    files: [file],
    options: {},
    parse: ([b]: Buffer[]) => parseCsv(b!, file, { label: 'y' }),
  };
  return { dir, cacheDir, req };
}

describe('parsed once, cached by content hash', () => {
  it('parses on a miss, reads the binary on a hit, and misses when the bytes or the options change', () => {
    const dir = tempDir();
    const cacheDir = join(dir, 'cache');
    const file = put(dir, 't.csv', 'a, b, y\n1.5, u, p\n2, v, q\n3, u, q\n');
    let parses = 0;
    const req = (label: string) => ({
      cacheDir,
      format: 'csv',
      files: [file],
      options: { label, missing: null },
      parse: ([bytes]: Buffer[]): CsvParsed => {
        parses++;
        return parseCsv(bytes!, file, { label });
      },
    });
    const first = cachedParse(req('y'));
    const second = cachedParse(req('y'));
    expect([first.cached, second.cached, parses]).toEqual([false, true, 1]);
    expect(second.dataset).toEqual(first.dataset);
    expect(second.dataset.x).toBeInstanceOf(Float32Array);
    expect(second.classNames).toEqual(['p', 'q']);
    expect(second.stats).toEqual(first.stats);
    expect(second.notes).toEqual(first.notes);
    expect(cachedParse(req('b')).cached).toBe(false); // other options
    writeFileSync(file, 'a, b, y\n1.5, u, p\n2, v, q\n4, u, q\n');
    const edited = cachedParse(req('y'));
    expect(edited.cached).toBe(false);
    expect(edited.dataset.x[6]).toBe(4);
    expect(parses).toBe(3);
    const entries = readdirSync(join(cacheDir, 'datasets'));
    expect(entries.filter((e) => /^[0-9a-f]{64}\.bin$/.test(e))).toHaveLength(3);
    expect(entries.filter((e) => e.endsWith('.tmp'))).toHaveLength(0);
  });

  it('re-parses and rewrites a cache file that does not decode', () => {
    const { dir, cacheDir, req } = csvRequest('a,y\n1,p\n2,q\n');
    cachedParse(req);
    const [entry] = readdirSync(join(cacheDir, 'datasets'));
    writeFileSync(join(cacheDir, 'datasets', entry!), 'MIADATA2garbage');
    expect(cachedParse(req).cached).toBe(false);
    expect(cachedParse(req).cached).toBe(true);
    expect(() => cachedParse({ ...req, files: [join(dir, 'gone.csv')] })).toThrow(DataError);
  });

  it('never reads a stored parse whose arrays changed on disk: a value changed, a zero-filled tail, a null head', () => {
    const { cacheDir, req } = csvRequest('a,b,y\n1.5,2,p\n2,4,q\n3,8,q\n');
    const want = Array.from(cachedParse(req).dataset.x);
    const [entry] = readdirSync(join(cacheDir, 'datasets'));
    const path = join(cacheDir, 'datasets', entry!);
    const whole = readFileSync(path);
    const end = whole.length;
    const changed = Buffer.from(whole);
    changed.writeFloatLE(99, end - 4 * (3 + 6));
    const zeroTail = Buffer.from(whole);
    zeroTail.fill(0, end - 12);
    const nullHead = Buffer.concat([whole.subarray(0, 8), Buffer.from([4, 0, 0, 0]), Buffer.from('null')]);
    for (const bad of [changed, zeroTail, nullHead]) {
      writeFileSync(path, bad);
      const got = cachedParse(req);
      expect(got.cached).toBe(false);
      expect(Array.from(got.dataset.x)).toEqual(want);
      expect(cachedParse(req).cached).toBe(true);
    }
  });
});

describe('the cache of parsed files without a cache folder', () => {
  const fresh = async (tmp: string) => {
    vi.stubEnv('TMPDIR', tmp);
    vi.resetModules();
    try {
      return (await import('../../../src/data/formats/cached.js')).privateTempCacheDir();
    } finally {
      vi.unstubAllEnvs();
    }
  };

  it("is this user's own folder, closed to others; a folder others can write or read is not used", async () => {
    const tmp = tempDir();
    const own = await fresh(tmp);
    expect(own).toBe(join(tmp, `mia-parsed-${process.getuid!()}`));
    expect(statSync(own).mode & 0o777).toBe(0o700);
    const planted = tempDir();
    const open = join(planted, `mia-parsed-${process.getuid!()}`);
    mkdirSync(open);
    chmodSync(open, 0o777);
    const other = await fresh(planted);
    expect(other).not.toBe(open);
    expect(other.startsWith(join(planted, 'mia-parsed-'))).toBe(true);
    expect(statSync(other).mode & 0o777).toBe(0o700);
  });
});

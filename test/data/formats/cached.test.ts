import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedParse, type CsvParsed, DataError, parseCsv } from '../../../src/data/index.js';
import { put, tempDir } from './helpers.js';

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
    const dir = tempDir();
    const cacheDir = join(dir, 'cache');
    const file = put(dir, 't.csv', 'a,y\n1,p\n2,q\n');
    const req = {
      cacheDir,
      format: 'csv',
      files: [file],
      options: {},
      parse: ([b]: Buffer[]) => parseCsv(b!, file, { label: 'y' }),
    };
    cachedParse(req);
    const [entry] = readdirSync(join(cacheDir, 'datasets'));
    writeFileSync(join(cacheDir, 'datasets', entry!), 'MIADATA1garbage');
    expect(cachedParse(req).cached).toBe(false);
    expect(cachedParse(req).cached).toBe(true);
    expect(() => cachedParse({ ...req, files: [join(dir, 'gone.csv')] })).toThrow(DataError);
  });
});

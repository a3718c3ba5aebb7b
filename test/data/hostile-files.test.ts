/**
 * Data files that could hang mia or exhaust its memory: special files (/dev/zero, a FIFO), files over
 * the 2 GB limit (sparse, so nothing big is written), datasets whose parse would pass the limit, and
 * gzip bombs in IDX files. Each is refused with one line naming the file, before the work.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, ftruncateSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseIdx, readBytes, readCsv, readIdx, readNpyDataset as readNpy } from '../../src/data/index.js';
import { parseNpy } from '../../src/data/formats/npy.js';
import { checkDatasetSize } from '../../src/data/formats/errors.js';
import { FILE_LIMIT } from '../../src/util/user-file.js';
import { npyFile } from '../e2e/data-helpers.js';
import { dataErrorOf, put, tempDir } from './formats/helpers.js';

/** A sparse file of `size` bytes (no block written). */
function sparse(path: string, size: number): string {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

/** An IDX header `00 00 08 D` and its sizes. */
function idxHead(dims: number[]): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(0x800 | dims.length, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return head;
}

/** A gzip stream of `head` then `zeros` zero bytes, compressed a megabyte at a time (the zeros never exist at once). */
async function bomb(head: Buffer, zeros: number): Promise<Buffer> {
  const gz = createGzip({ level: 1 });
  const parts: Buffer[] = [];
  gz.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((ok) => gz.on('end', ok));
  const mb = Buffer.alloc(1 << 20);
  gz.write(head);
  for (let left = zeros; left > 0; left -= mb.length) {
    const ok = gz.write(left >= mb.length ? mb : mb.subarray(0, left));
    if (!ok) await new Promise((r) => gz.once('drain', r));
  }
  gz.end();
  await done;
  return Buffer.concat(parts);
}

describe('data files that could hang or exhaust memory', () => {
  it('refuses /dev/zero, a FIFO, a folder and a symlink to /dev/zero as any data file, naming it', () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe.csv');
    const made = spawnSync('mkfifo', [fifo]);
    expect(made.status).toBe(0);
    const link = join(dir, 'zero.idx');
    symlinkSync('/dev/zero', link);
    const cases: [string, RegExp][] = [
      ['/dev/zero', /^\/dev\/zero: This is a character device, not a regular file/],
      [fifo, /pipe\.csv: This is a named pipe, not a regular file/],
      [dir, /This is a folder, not a regular file/],
      [link, /zero\.idx: This is a character device/],
    ];
    for (const [file, message] of cases) {
      expect(dataErrorOf(() => readBytes(file, 'CSV file')).message).toMatch(message);
      expect(dataErrorOf(() => readCsv(file, { label: 'y' })).message).toMatch(message);
      expect(dataErrorOf(() => readIdx(file, file)).message).toMatch(message);
      expect(dataErrorOf(() => readNpy(file, file)).message).toMatch(message);
    }
  });

  it('refuses a data file over 2 GB before reading it (a sparse file: nothing big is written)', () => {
    const dir = tempDir();
    const big = sparse(join(dir, 'big.csv'), FILE_LIMIT + 1);
    const e = dataErrorOf(() => readCsv(big, { label: 'y' }));
    expect(e.message).toMatch(
      /big\.csv: The CSV file holds 2,147,483,649 bytes, over the 2 GB limit of what mia reads/,
    );
    expect(e.file).toBe(big);
    const npy = sparse(join(dir, 'x.npy'), 3 * 1024 ** 3);
    expect(dataErrorOf(() => readNpy(npy, npy)).message).toMatch(
      /x\.npy: The \.npy file holds 3 GB, over the 2 GB limit/,
    );
    // at the limit it is read (and found not to be IDX): the limit is on the size, not the name
    const at = sparse(join(dir, 'at.idx'), 64);
    expect(dataErrorOf(() => readIdx(at, at)).message).toMatch(/at\.idx: The IDX file holds type 0x0 values/);
  });

  it('refuses a dataset whose features would pass 2 GB as floats, before allocating them', () => {
    expect(() => checkDatasetSize('d.csv', 1000, 1000)).not.toThrow();
    expect(dataErrorOf(() => checkDatasetSize('d.csv', 600_000, 1000)).message).toMatch(
      /d\.csv: The dataset would hold 600,000 records of 1,000 features, 2.2 GB as 32-bit floats, over the 2 GB limit/,
    );
    // a .npy whose header declares 600,000 × 1,000 floats: refused on its header
    const header = npyFile('<f4', [600_000, 1000], new Float32Array(0));
    expect(dataErrorOf(() => parseNpy(header, 'x.npy')).message).toMatch(
      /x\.npy: The dataset would hold 600,000 records/,
    );
    // a CSV with a text column of one level per row: 30,000 rows × 30,000 one-hot features
    const rows = Array.from({ length: 30_000 }, (_, i) => `id${i},${i % 2}`);
    const csv = put(tempDir(), 'ids.csv', `id,y\n${rows.join('\n')}\n`);
    // (refused by the 2 GB limit, or earlier as an ID-like column)
    expect(dataErrorOf(() => readCsv(csv, { label: 'y' })).message).toMatch(/^\S*ids\.csv: .*(2 GB limit|ID|level)/);
  });

  it('stops inflating a gzip bomb at the size its IDX header declares; memory does not grow', async () => {
    const zeros = 300 * 1024 ** 2;
    const gz = await bomb(idxHead([3, 28, 28]), zeros);
    expect(gz.length).toBeLessThan(2 * 1024 ** 2); // 300 MB of zeros compress to a few hundred KB
    const dir = tempDir();
    const images = put(dir, 'bomb-images.gz', gz);
    const labels = put(dir, 'labels.gz', gzipSync(Buffer.concat([idxHead([3]), Buffer.from([0, 1, 0])])));
    global.gc?.();
    const before = process.memoryUsage();
    const e = dataErrorOf(() => readIdx(images, labels));
    const after = process.memoryUsage();
    expect(e.message).toMatch(
      /bomb-images\.gz: The file inflates to more than the 2,368 bytes its IDX header \(3 × 28 × 28\) declares; it was not inflated further/,
    );
    // inflating it whole would add 300 MB of buffers
    expect(after.arrayBuffers + after.external - (before.arrayBuffers + before.external)).toBeLessThan(32 * 1024 ** 2);
    expect(after.rss - before.rss).toBeLessThan(64 * 1024 ** 2);
  });

  it('refuses, without inflating, a gzipped IDX whose header declares more than the limit, and a bomb ahead of its header', async () => {
    const huge = await bomb(idxHead([60_000, 60_000, 1]), 10 * 1024 ** 2);
    expect(dataErrorOf(() => parseIdx(huge, 'h.gz')).message).toMatch(
      /h\.gz: The IDX header declares 60000 × 60000 × 1 values \(3\.4 GB\), over the 2 GB limit/,
    );
    // a stream whose first megabytes are zeros (no IDX magic): refused on its first bytes
    const zeros = await bomb(Buffer.alloc(0), 100 * 1024 ** 2);
    global.gc?.();
    const before = process.memoryUsage();
    expect(dataErrorOf(() => parseIdx(zeros, 'z.gz')).message).toMatch(
      /z\.gz: The IDX file holds type 0x0 values|not an IDX file/,
    );
    const after = process.memoryUsage();
    expect(after.arrayBuffers + after.external - (before.arrayBuffers + before.external)).toBeLessThan(32 * 1024 ** 2);
    // a gzip header with a long file name ahead of the data still finds the IDX header
    const plain = gzipSync(Buffer.concat([idxHead([2, 1, 1]), Buffer.from([5, 6])]));
    plain[3] = 0x08; // FNAME: a zero-terminated name follows the 10-byte header
    const named = Buffer.concat([plain.subarray(0, 10), Buffer.from(`${'n'.repeat(5000)}\0`), plain.subarray(10)]);
    expect(Array.from(parseIdx(named, 'n.gz').data)).toEqual([5, 6]);
  });
});

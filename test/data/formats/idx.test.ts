import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseIdx, parseIdxPair, readIdx } from '../../../src/data/index.js';
import { dataErrorOf, put, tempDir } from './helpers.js';

/** An IDX file of unsigned bytes, written as the format says: 00 00 08 D, D big-endian u32 sizes, the bytes. */
function idx(dims: number[], data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out.set([0, 0, 0x08, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

const pixels = Array.from({ length: 3 * 2 * 4 }, (_, i) => i * 10);
const images = idx([3, 2, 4], pixels);
const labels = idx([3], [7, 0, 7]);

const err = dataErrorOf;

describe('IDX', () => {
  it('reads images [n, rows, cols] as [rows, cols, 1] in [0, 1], gzipped or not, with their labels', () => {
    const dir = tempDir();
    for (const [im, lb] of [
      [images, labels],
      [gzipSync(images), gzipSync(labels)],
    ]) {
      const r = readIdx(put(dir, 'train-images-idx3-ubyte.gz', im!), put(dir, 'train-labels-idx1-ubyte.gz', lb!));
      expect(r.dataset).toMatchObject({ n: 3, shape: [2, 4, 1], classes: 8, kind: 'image', name: 'train' });
      expect(Array.from(r.dataset.x)).toEqual(pixels.map((p) => Math.fround(p / 255)));
      expect(Array.from(r.dataset.y)).toEqual([7, 0, 7]);
    }
    expect(parseIdx(images, 'a').dims).toEqual([3, 2, 4]);
  });

  it('refuses a wrong magic number, another value type, truncated or overlong files, and broken gzip', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
    expect(err(() => parseIdx(png, 'x.png')).message).toMatch(/not an IDX file: it starts with 89 50 4e 47/);
    const floats = images.slice();
    floats[2] = 0x0d;
    expect(err(() => parseIdx(floats, 'f')).message).toMatch(/holds float values; mia reads unsigned bytes/);
    expect(err(() => parseIdx(images.subarray(0, images.length - 5), 't')).message).toMatch(
      /truncated: its header promises 24 bytes of data \(3 × 2 × 4\) but it holds 19/,
    );
    expect(err(() => parseIdx(images.subarray(0, 9), 'h')).message).toMatch(/header is truncated/);
    expect(err(() => parseIdx(Uint8Array.from([...images, 1]), 'o')).message).toMatch(/1 bytes more/);
    const gz = gzipSync(images).subarray(0, 20);
    expect(err(() => parseIdx(gz, 'g')).message).toMatch(/gzipped but does not decompress/);
  });

  it('refuses mismatched counts, swapped files, an unexpected image size, a single class and missing files', () => {
    const file = (bytes: Uint8Array, f: string) => ({ bytes, file: f });
    expect(err(() => parseIdxPair(file(images, 'i'), file(idx([2], [0, 1]), 'l'))).message).toMatch(
      /2 labels for 3 images/,
    );
    expect(err(() => parseIdxPair(file(labels, 'l'), file(images, 'i'))).message).toMatch(/3 dimensions/);
    const size = err(() => parseIdxPair(file(images, 'i'), file(labels, 'l'), { expect: [28, 28] }));
    expect(size.message).toMatch(/The images are 2×4 but 28×28 are expected/);
    expect(err(() => parseIdxPair(file(images, 'i'), file(idx([3], [1, 1, 1]), 'l'))).message).toMatch(/two classes/);
    expect(err(() => readIdx('/nonexistent/i', '/nonexistent/l')).file).toBe('/nonexistent/i');
  });

  it('refuses images of 0×0 (or 0 × w) pixels: records without features', () => {
    const file = (bytes: Uint8Array, f: string) => ({ bytes, file: f });
    for (const dims of [
      [3, 0, 0],
      [3, 0, 5],
      [3, 5, 0],
    ]) {
      const e = err(() => parseIdxPair(file(idx(dims, []), 'zero-images'), file(labels, 'l')));
      expect(e.message).toBe(
        `zero-images: The images are ${dims[1]}×${dims[2]} pixels: the records would have no feature.`,
      );
    }
  });
});

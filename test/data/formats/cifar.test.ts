import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCifar, readCifar } from '../../../src/data/index.js';
import { dataErrorOf, put, tempDir } from './helpers.js';

/** A CIFAR binary batch: per record its label byte(s), then the R, G and B planes (32×32 each, row-major). */
function batch(labels: number[][], pixel: (rec: number, ch: number, row: number, col: number) => number): Uint8Array {
  const rec = labels[0]!.length + 3072;
  const out = new Uint8Array(labels.length * rec);
  labels.forEach((l, i) => {
    out.set(l, i * rec);
    for (let ch = 0; ch < 3; ch++)
      for (let r = 0; r < 32; r++)
        for (let c = 0; c < 32; c++) out[i * rec + l.length + ch * 1024 + r * 32 + c] = pixel(i, ch, r, c);
  });
  return out;
}

const px = (i: number, ch: number, r: number, c: number) => (i * 50 + ch * 80 + r * 3 + c) % 256;

const err = dataErrorOf;

describe('CIFAR', () => {
  it('reads the CIFAR-10 batches that exist, in order, as [32, 32, 3] height-width-channel in [0, 1]', () => {
    const dir = tempDir();
    put(
      dir,
      'data_batch_2.bin',
      batch([[3], [9]], (i, ch, r, c) => px(i + 2, ch, r, c)),
    );
    put(dir, 'data_batch_1.bin', batch([[1], [0]], px));
    put(
      dir,
      'test_batch.bin',
      batch([[5]], (i, ch, r, c) => px(i + 4, ch, r, c)),
    );
    put(dir, 'batches.meta.txt', 'airplane\n');
    const r = readCifar(dir);
    expect(r.dataset).toMatchObject({ n: 5, shape: [32, 32, 3], classes: 10, kind: 'image', name: 'cifar10' });
    expect(Array.from(r.dataset.y)).toEqual([1, 0, 3, 9, 5]);
    const rec = 32 * 32 * 3;
    for (const [i, row, col, ch] of [
      [0, 0, 0, 0],
      [1, 5, 7, 2],
      [3, 31, 31, 1],
      [4, 2, 30, 0],
    ] as const)
      expect(r.dataset.x[i * rec + (row * 32 + col) * 3 + ch]).toBe(Math.fround(px(i, ch, row, col) / 255));
    expect(r.notes[0]).toMatch(/Read 5 CIFAR-10 images from data_batch_1\.bin, data_batch_2\.bin, test_batch\.bin/);
    expect(r.notes[1]).toMatch(/Not found \(skipped\): data_batch_3\.bin, data_batch_4\.bin, data_batch_5\.bin/);
  });

  it('looks into the folder the archive unpacks to, and reads CIFAR-100 with fine or coarse labels', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'cifar-100-binary'));
    put(
      join(dir, 'cifar-100-binary'),
      'train.bin',
      batch(
        [
          [4, 99],
          [19, 0],
        ],
        px,
      ),
    );
    const fine = readCifar(dir, { variant: 100 });
    expect(fine.dataset.classes).toBe(100);
    expect(Array.from(fine.dataset.y)).toEqual([99, 0]);
    const coarse = readCifar(dir, { variant: 100, labels: 'coarse' });
    expect(coarse.dataset.classes).toBe(20);
    expect(Array.from(coarse.dataset.y)).toEqual([4, 19]);
    expect(coarse.dataset.x[(3 * 32 + 4) * 3 + 1]).toBe(Math.fround(px(0, 1, 3, 4) / 255));
  });

  it('refuses a batch of the wrong size, labels out of range, a folder without batches, and no folder', () => {
    const short = err(() => parseCifar([{ bytes: new Uint8Array(3073 * 2 - 1), file: 'b.bin' }]));
    expect(short.message).toMatch(/whole number of 3,073-byte records .* this file has 6,145/);
    expect(err(() => parseCifar([{ bytes: batch([[1, 2]], px), file: 'c100.bin' }])).message).toMatch(
      /looks like a CIFAR-100 file/,
    );
    const label = err(() => parseCifar([{ bytes: batch([[1], [12]], px), file: 'l.bin' }]));
    expect(label.record).toBe(1);
    expect(label.message).toMatch(/label 12, but CIFAR-10 has 10 classes/);
    expect(err(() => parseCifar([{ bytes: batch([[3], [3]], px), file: 'one.bin' }])).message).toMatch(/two classes/);
    const dir = tempDir();
    put(dir, 'readme.txt', 'x');
    expect(err(() => readCifar(dir)).message).toMatch(/holds no CIFAR-10 binary batch .* it holds readme\.txt/);
    expect(err(() => readCifar(join(dir, 'nope'))).message).toMatch(/no folder here/);
    put(dir, 'data_batch_1.bin', new Uint8Array(0));
    expect(err(() => readCifar(dir)).message).toMatch(/empty/);
  });
});

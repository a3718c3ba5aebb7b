import { describe, expect, it } from 'vitest';
import { NpyError, parseNpy, parseNpyDataset, readNpyDataset } from '../../../src/data/index.js';
import { dataErrorOf, put, tempDir } from './helpers.js';
import { npyBytes, rawOf } from './npy-bytes.js';

const err = dataErrorOf;

// A 2×3 array [[1, 2, 3], [4, 5, 6]]; Fortran order stores it column by column: 1 4 2 5 3 6.
const C = [1, 2, 3, 4, 5, 6];
const F = [1, 4, 2, 5, 3, 6];

describe('.npy', () => {
  it('reads float32/64, uint8, int32, int64 and bool in both byte orders', () => {
    for (const descr of ['<f4', '>f4', '<f8', '>f8', '|u1', '<i4', '>i4', '<i8', '>i8', '|b1']) {
      const vals = descr === '|b1' ? [1, 0, 1, 1, 0, 0] : C;
      const a = parseNpy(npyBytes(descr, [2, 3], false, rawOf(descr, vals)), 'a.npy');
      expect(a.shape).toEqual([2, 3]);
      expect(Array.from(a.data)).toEqual(vals);
      expect(a.fortran).toBe(false);
    }
    expect(Array.from(parseNpy(npyBytes('<i8', [2], false, rawOf('<i8', [-3, 2 ** 40])), 'b').data)).toEqual([
      -3,
      2 ** 40,
    ]);
  });

  it('reads Fortran-order arrays (2-D and 3-D) into C order', () => {
    for (const descr of ['<f8', '>i4', '|u1']) {
      const a = parseNpy(npyBytes(descr, [2, 3], true, rawOf(descr, F)), 'f.npy');
      expect(a.fortran).toBe(true);
      expect(Array.from(a.data)).toEqual(C);
    }
    // shape (2, 3, 2): element [i][j][k] = 100 i + 10 j + k; Fortran order runs i fastest, then j, then k.
    const shape = [2, 3, 2];
    const f: number[] = [];
    for (let k = 0; k < 2; k++) for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) f.push(100 * i + 10 * j + k);
    const c: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 2; k++) c.push(100 * i + 10 * j + k);
    expect(Array.from(parseNpy(npyBytes('<f4', shape, true, rawOf('<f4', f)), 'g').data)).toEqual(c);
  });

  it('pairs features [n, ...] with labels [n]: tables, [h, w] images with one channel, and [n, 1] labels', () => {
    const dir = tempDir();
    const fx = put(dir, 'x.npy', npyBytes('<f8', [3, 2], true, rawOf('<f8', [1, 3, 5, 2, 4, 6])));
    const fy = put(dir, 'y.npy', npyBytes('<i8', [3], false, rawOf('<i8', [0, 2, 1])));
    const t = readNpyDataset(fx, fy);
    expect(t.dataset).toMatchObject({ name: 'x', n: 3, shape: [2], classes: 3, kind: 'tabular' });
    expect(Array.from(t.dataset.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.notes[0]).toMatch(/Fortran order/);
    const img = parseNpyDataset(
      { bytes: npyBytes('|u1', [2, 2, 2], false, rawOf('|u1', [0, 1, 2, 3, 4, 5, 6, 7])), file: 'im.npy' },
      { bytes: npyBytes('<i4', [2, 1], false, rawOf('<i4', [1, 0])), file: 'lb.npy' },
      { expect: [2, 2, 1] },
    );
    expect(img.dataset).toMatchObject({ shape: [2, 2, 1], kind: 'image', classes: 2 });
  });

  it('refuses unsupported dtypes and shapes, truncation, NaN, bad labels and unexpected record shapes', () => {
    const f = (bytes: Uint8Array, file: string) => ({ bytes, file });
    const x = f(npyBytes('<f4', [2, 2], false, rawOf('<f4', [1, 2, 3, 4])), 'x.npy');
    const y = f(npyBytes('<i4', [2], false, rawOf('<i4', [0, 1])), 'y.npy');
    expect(err(() => parseNpy(npyBytes('<c16', [1], false, new Uint8Array(16)), 'c.npy')).message).toMatch(
      /^c\.npy: The array has dtype "<c16"; mia reads/,
    );
    expect(err(() => parseNpy(npyBytes('<U5', [1], false, new Uint8Array(20)), 'u.npy')).message).toMatch(/"<U5"/);
    expect(err(() => parseNpy(new Uint8Array(20), 'z')).message).toMatch(/not a \.npy file/);
    expect(() => parseNpy(new Uint8Array(20), 'z')).toThrow(NpyError); // what mia attack --signals catches
    expect(err(() => parseNpy(npyBytes('<f4', [4], false, new Uint8Array(12)), 't')).message).toMatch(/truncated/);
    expect(
      err(() => parseNpyDataset(f(npyBytes('<f4', [2], false, rawOf('<f4', [1, 2])), 'v.npy'), y)).message,
    ).toMatch(/shape \(2\); mia needs \(records, features\)/);
    expect(
      err(() => parseNpyDataset(x, f(npyBytes('<i4', [3], false, rawOf('<i4', [0, 1, 1])), 'y3'))).message,
    ).toMatch(/must have shape \(2,\)/);
    const nan = err(() => parseNpyDataset(f(npyBytes('<f4', [2, 2], false, rawOf('<f4', [1, 2, 3, NaN])), 'n.npy'), y));
    expect(nan.record).toBe(1);
    expect(nan.message).toMatch(/Feature 1 is NaN/);
    const neg = err(() => parseNpyDataset(x, f(npyBytes('<i4', [2], false, rawOf('<i4', [0, -1])), 'neg')));
    expect(neg.record).toBe(1);
    expect(
      err(() => parseNpyDataset(x, f(npyBytes('<f4', [2], false, rawOf('<f4', [0, 0.5])), 'half'))).message,
    ).toMatch(/label 0\.5 is not a class index/);
    expect(err(() => parseNpyDataset(x, f(npyBytes('<i4', [2], false, rawOf('<i4', [1, 1])), 'one'))).message).toMatch(
      /two classes/,
    );
    expect(err(() => parseNpyDataset(x, y, { expect: [3] })).message).toMatch(/shape \[2\] but \[3\] is expected/);
  });

  it('refuses records without features, (n, 0) or (n, 0, w), and a stray label 10⁹ (more than 1,000 classes)', () => {
    const f = (bytes: Uint8Array, file: string) => ({ bytes, file });
    const y = f(npyBytes('<i4', [3], false, rawOf('<i4', [0, 1, 0])), 'y.npy');
    for (const shape of [
      [3, 0],
      [3, 0, 4],
      [3, 4, 0],
    ]) {
      const e = err(() => parseNpyDataset(f(npyBytes('<f4', shape, false, new Uint8Array(0)), 'x0.npy'), y));
      expect(e.message).toMatch(/^x0\.npy: The features have shape \(3, 0|^x0\.npy: The features have shape \(3, 4, 0/);
      expect(e.message).toMatch(/each record has no feature/);
    }
    const x = f(npyBytes('<f4', [3, 2], false, rawOf('<f4', [1, 2, 3, 4, 5, 6])), 'x.npy');
    for (const descr of ['<i4', '<i8', '<f8']) {
      const stray = f(npyBytes(descr, [3], false, rawOf(descr, [0, 1_000_000_000, 1])), 'y.npy');
      const e = err(() => parseNpyDataset(x, stray));
      expect(e.record).toBe(1);
      expect(e.message).toMatch(/The label 1000000000 is not a class index 0\.\.999.*would make 1,000,000,001\)/);
    }
    // 999 is still a class index: 1,000 classes, most of them without records
    const edge = f(npyBytes('<i4', [3], false, rawOf('<i4', [0, 999, 1])), 'y.npy');
    expect(parseNpyDataset(x, edge).dataset.classes).toBe(1000);
    const inf = f(npyBytes('<f8', [3], false, rawOf('<f8', [0, Number.POSITIVE_INFINITY, 1])), 'y.npy');
    expect(err(() => parseNpyDataset(x, inf)).message).toMatch(/The label Infinity is not a class index/);
  });
});

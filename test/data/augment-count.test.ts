import { describe, expect, it } from 'vitest';
import { augmentationCopies, augmentationQueries, translate } from '../../src/data/augment.js';

const image = { shape: [8, 8, 1], kind: 'image' as const };

describe('augmented copies', () => {
  it('translate(d) makes the 4d shifts of the ring |dx| + |dy| = d, in the order dx then dy ascending', () => {
    const src = Float32Array.from({ length: 64 }, (_, i) => i + 1);
    for (const d of [1, 2, 3, 7]) {
      const copies = augmentationCopies([{ kind: 'translate', pixels: d }], image, 0);
      expect(copies).toHaveLength(1 + 4 * d);
      expect(augmentationQueries([{ kind: 'translate', pixels: d }])).toBe(copies.length);
      const ring: [number, number][] = [];
      for (let dx = -d; dx <= d; dx++)
        for (let dy = -d; dy <= d; dy++) if (Math.abs(dx) + Math.abs(dy) === d) ring.push([dx, dy]);
      ring.forEach(([dx, dy], i) => {
        const want = new Float32Array(64);
        translate(src, want, 8, 8, 1, dx, dy);
        const got = new Float32Array(64);
        copies[i + 1]!(src, got, 0);
        expect(got).toEqual(want);
      });
    }
  });

  it('counts the copies of every augmentation, the record itself included', () => {
    expect(
      augmentationQueries([
        { kind: 'rotate', degrees: 3 },
        { kind: 'translate', pixels: 2 },
        { kind: 'flip_bits', count: 5, max: 2 },
        { kind: 'noise', sigma: 0.1, queries: 7 },
      ]),
    ).toBe(1 + 2 + 8 + 5 + 7);
    expect(augmentationQueries([])).toBe(1);
  });
});

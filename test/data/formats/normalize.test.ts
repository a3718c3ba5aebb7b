import { describe, expect, it } from 'vitest';
import { applyNormalizer, fitNormalizer } from '../../../src/data/index.js';

const d = { x: Float32Array.from([0, 5, 2, 5, 4, 5, 100, 5]), n: 4, shape: [2] };

describe('normalisation', () => {
  it('fits standard scaling on the given records only and applies it to all', () => {
    const norm = fitNormalizer(d, 'standard', [0, 1, 2]);
    expect(Array.from(norm.shift)).toEqual([2, 5]);
    expect(norm.scale[0]).toBeCloseTo(Math.sqrt(8 / 3), 6);
    expect(norm.scale[1]).toBe(1); // constant on the fitted records: only shifted
    const out = applyNormalizer(d, norm);
    expect(out.x[0]).toBeCloseTo(-2 / Math.sqrt(8 / 3), 5);
    expect(out.x[6]).toBeCloseTo(98 / Math.sqrt(8 / 3), 4); // the unfitted record, far outside
    expect(out.x[7]).toBe(0);
    expect(Array.from(d.x)).toEqual([0, 5, 2, 5, 4, 5, 100, 5]); // the input is untouched
  });

  it('maps the fitted range to [0, 1] with minmax, and leaves data alone with none', () => {
    const norm = fitNormalizer(d, 'minmax');
    expect(Array.from(applyNormalizer(d, norm).x)).toEqual([0, 0, 0.02, 0, 0.04, 0, 1, 0].map(Math.fround));
    const fitted = applyNormalizer(d, fitNormalizer(d, 'minmax', [1, 2]));
    expect(Array.from(fitted.x.subarray(0, 2))).toEqual([-1, 0]);
    expect(applyNormalizer(d, fitNormalizer(d, 'none')).x).toBe(d.x);
    expect(() => applyNormalizer({ x: new Float32Array(3), shape: [3] }, fitNormalizer(d, 'none'))).toThrow(
      /2 features/,
    );
  });
});

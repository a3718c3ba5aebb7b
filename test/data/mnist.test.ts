import { describe, expect, it } from 'vitest';
import { loadMnist, mnistFacts } from '../../src/data/index.js';

describe('built-in MNIST', () => {
  it('facts (counted without parsing the pixels, before any full load) agree with the full load', () => {
    const f = mnistFacts();
    const d = loadMnist();
    expect(f.n).toBe(d.n);
    expect(f.classes).toBe(10);
    expect(f.shape).toEqual(d.shape);
    expect(Array.from(f.labels)).toEqual(Array.from(d.y));
  });

  it('has 10,000 digits in [0, 1], 863 to 1,127 per class', () => {
    const d = loadMnist();
    expect(d.n).toBe(10_000);
    expect(d.shape).toEqual([28, 28, 1]);
    expect(d.x.length).toBe(10_000 * 784);
    let lo = Infinity,
      hi = -Infinity;
    for (const v of d.x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    expect(lo).toBe(0);
    expect(hi).toBeLessThanOrEqual(1);
    const counts = Array.from({ length: 10 }, (_, c) => d.y.filter((y) => y === c).length);
    expect(Math.min(...counts)).toBe(863);
    expect(Math.max(...counts)).toBe(1127);
  });
});

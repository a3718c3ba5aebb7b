import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sourceOf, syntheticPurchase } from '../../../src/data/index.js';

const sha = (a: Float32Array) => createHash('sha256').update(new Uint8Array(a.buffer)).digest('hex');

describe('synthetic_purchase', () => {
  it('is binary, balanced, and the same bytes for the same seed (different for another)', () => {
    const a = syntheticPurchase({ records: 300, features: 50, classes: 4, seed: 7 });
    const b = syntheticPurchase({ records: 300, features: 50, classes: 4, seed: 7 });
    const c = syntheticPurchase({ records: 300, features: 50, classes: 4, seed: 8 });
    expect(a.dataset).toMatchObject({ n: 300, shape: [50], classes: 4, kind: 'tabular' });
    expect(a.dataset.x.every((v) => v === 0 || v === 1)).toBe(true);
    expect(sha(a.dataset.x)).toBe(sha(b.dataset.x));
    expect(Array.from(a.dataset.y)).toEqual(Array.from(b.dataset.y));
    expect(sha(a.dataset.x)).not.toBe(sha(c.dataset.x));
    expect([0, 1, 2, 3].map((k) => a.dataset.y.filter((y) => y === k).length)).toEqual([75, 75, 75, 75]);
  });

  it('forms clusters: each record is nearer its own class centroid than any other', () => {
    const { dataset: d } = syntheticPurchase({ records: 400, features: 100, classes: 5, seed: 1 });
    const f = 100;
    const centroid = Array.from({ length: 5 }, () => new Float64Array(f));
    const n = new Array(5).fill(0);
    for (let r = 0; r < d.n; r++) {
      n[d.y[r]!]++;
      for (let j = 0; j < f; j++) centroid[d.y[r]!]![j]! += d.x[r * f + j]!;
    }
    centroid.forEach((c, k) => c.forEach((_, j) => (c[j]! /= n[k])));
    let nearest = 0;
    for (let r = 0; r < d.n; r++) {
      const dist = centroid.map((c) => c.reduce((a, v, j) => a + (v - d.x[r * f + j]!) ** 2, 0));
      if (dist.indexOf(Math.min(...dist)) === d.y[r]) nearest++;
    }
    expect(nearest).toBe(d.n);
    // about `flip` of the bits differ from the class's majority bit
    let differ = 0;
    for (let r = 0; r < d.n; r++)
      for (let j = 0; j < f; j++) if (d.x[r * f + j] !== (centroid[d.y[r]!]![j]! > 0.5 ? 1 : 0)) differ++;
    expect(differ / (d.n * f)).toBeGreaterThan(0.07);
    expect(differ / (d.n * f)).toBeLessThan(0.12);
  });

  it('refuses impossible settings', () => {
    expect(() => syntheticPurchase({ records: 3, features: 10, classes: 4 })).toThrow(/records ≥ 4/);
    expect(() => syntheticPurchase({ records: 10, features: 10, classes: 1 })).toThrow(/classes ≥ 2/);
    expect(() => syntheticPurchase({ records: 10, features: 10, classes: 2, flip: 0.6 })).toThrow(/flip/);
  });
});

describe('the synthetic_purchase source: flip and density as settings', () => {
  const src = sourceOf({ kind: 'synthetic_purchase' });
  const ctx = { dir: '.', cacheDir: '.', seed: 7 };
  const base = { records: 200, features: 40, classes: 4, seed: null };
  const defaults = Object.fromEntries(Object.entries(src.settings).map(([k, d]) => [k, d.default]));

  it('defaults to density 0.2 and flip 0.1: the same bytes as before the settings existed', () => {
    expect(defaults).toMatchObject({ density: 0.2, flip: 0.1 });
    const a = src.load!({ ...base, density: 0.2, flip: 0.1 }, ctx);
    const b = syntheticPurchase({ records: 200, features: 40, classes: 4, seed: 7 }).dataset;
    expect(sha(a.x)).toBe(sha(b.x));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
  });

  it('passes them to the generator: flip 0.35 makes about 35% of bits differ, flip 0 none', () => {
    const differ = (flip: number, density: number) => {
      const { x, y } = src.load!({ ...base, records: 400, features: 200, density, flip }, ctx);
      const proto = syntheticPurchase({ records: 400, features: 200, classes: 4, seed: 7, density, flip: 0 }).dataset;
      let n = 0;
      for (let r = 0; r < 400; r++) {
        const p = proto.y.indexOf(y[r]!); // a record of the same class, drawn without flips: the prototype
        for (let j = 0; j < 200; j++) if (x[r * 200 + j] !== proto.x[p * 200 + j]) n++;
      }
      return n / (400 * 200);
    };
    expect(differ(0, 0.2)).toBe(0);
    expect(differ(0.35, 0.2)).toBeGreaterThan(0.33);
    expect(differ(0.35, 0.2)).toBeLessThan(0.37);
    const sparse = syntheticPurchase({ records: 400, features: 200, classes: 4, seed: 7, density: 0.05, flip: 0 });
    const set = sparse.dataset.x.reduce((a, v) => a + v, 0) / sparse.dataset.x.length;
    expect(set).toBeGreaterThan(0.03);
    expect(set).toBeLessThan(0.07);
    expect(src.load!({ ...base, density: 0.05, flip: 0 }, ctx).x).not.toEqual(
      src.load!({ ...base, density: 0.2, flip: 0 }, ctx).x,
    );
  });
});

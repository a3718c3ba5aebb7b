import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateSubsets, shadowSplits, SplitError, type SubsetRequest } from '../../src/data/index.js';

const req = (key: string, ops: SubsetRequest['ops']): SubsetRequest => ({ key, dataset: 'd', ops });

describe('subsets of a dataset', () => {
  it('members and nonmembers are the rows a membership column marks, in file order, beside takes; none without it', () => {
    const membership = Uint8Array.of(0, 1, 1, 0, 1, 0, 0);
    const facts = new Map([['d', { n: 7, membership }]]);
    const requests = [
      req('m', [{ op: 'members' }]),
      req('t', [{ op: 'take', n: 3 }]),
      req('n', [{ op: 'nonmembers' }]),
    ];
    const s = allocateSubsets(requests, facts, 5);
    expect(s.get('m')).toEqual([1, 2, 4]);
    expect(s.get('n')).toEqual([0, 3, 5, 6]);
    expect(s.get('t')).toHaveLength(3);
    expect(() => allocateSubsets([req('m', [{ op: 'members' }])], new Map([['d', 7]]), 5)).toThrow(
      'Dataset "d" has no membership column',
    );
  });

  it('takes are disjoint, rest is the complement of the takes, taken their union; all are deterministic for a seed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 400 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 1e6 }),
        (n, takes, seed) => {
          const requests = [
            ...takes.map((t, i) => req(`t${i}`, [{ op: 'take', n: t }])),
            req('rest', [{ op: 'rest' }]),
            req('taken', [{ op: 'taken' }]),
          ];
          const total = takes.reduce((a, b) => a + b, 0);
          if (total > n) {
            expect(() => allocateSubsets(requests, new Map([['d', n]]), seed)).toThrow(SplitError);
            return;
          }
          const s = allocateSubsets(requests, new Map([['d', n]]), seed);
          const claimed = takes.flatMap((_, i) => s.get(`t${i}`)!);
          expect(new Set(claimed).size).toBe(total);
          takes.forEach((t, i) => expect(s.get(`t${i}`)).toHaveLength(t));
          expect(new Set(s.get('taken'))).toEqual(new Set(claimed));
          const rest = s.get('rest')!;
          expect(rest).toHaveLength(n - total);
          expect(rest.some((r) => claimed.includes(r))).toBe(false);
          expect(allocateSubsets(requests, new Map([['d', n]]), seed)).toEqual(s);
        },
      ),
    );
  });

  it('sample draws from the whole dataset; classes keeps only those labels', () => {
    const labels = Int32Array.from({ length: 100 }, (_, i) => i % 4);
    const s = allocateSubsets(
      [
        req('a', [{ op: 'take', n: 50 }]),
        req('s', [{ op: 'sample', n: 100 }]),
        req('r', [{ op: 'rest' }]),
        req('c', [{ op: 'rest' }, { op: 'classes', classes: [1, 3] }]),
      ],
      new Map([['d', { n: 100, labels }]]),
      1,
    );
    expect(new Set(s.get('s'))).toEqual(new Set(Array.from({ length: 100 }, (_, i) => i)));
    expect(s.get('c')).toEqual(s.get('r')!.filter((r) => labels[r] === 1 || labels[r] === 3));
    expect(s.get('c')!.length).toBeGreaterThan(0);
  });
});

describe('shadow splits', () => {
  const pool = Array.from({ length: 400 }, (_, i) => 1000 + i);

  it('overlapping: each model draws its own size records in and size out; adding a model leaves the others as they were', () => {
    const four = shadowSplits(pool, 4, 50, 'overlapping', 7, 'refs');
    const five = shadowSplits(pool, 5, 50, 'overlapping', 7, 'refs');
    expect(five.slice(0, 4)).toEqual(four);
    for (const m of four) {
      expect(m.inIdx).toHaveLength(50);
      expect(m.outIdx).toHaveLength(50);
      expect(m.inIdx.some((r) => m.outIdx.includes(r))).toBe(false);
    }
  });

  it('disjoint: no pool record serves two models, and too small a pool is an error naming the numbers', () => {
    const s = shadowSplits(pool, 4, 50, 'disjoint', 7, 'refs');
    const all = s.flatMap((m) => [...m.inIdx, ...m.outIdx]);
    expect(new Set(all).size).toBe(400);
    expect(() => shadowSplits(pool, 5, 50, 'disjoint', 7, 'refs')).toThrow(
      '5 disjoint shadow models of size 50 need 500',
    );
  });

  it('half: every pool record is in exactly half the models and out of the others', () => {
    const s = shadowSplits(pool, 6, 0, 'half', 3, 'half');
    for (const r of pool) {
      expect(s.filter((m) => m.inIdx.includes(r))).toHaveLength(3);
      expect(s.filter((m) => m.outIdx.includes(r))).toHaveLength(3);
    }
    expect(() => shadowSplits(pool, 5, 0, 'half', 3, 'half')).toThrow('even count');
  });
});

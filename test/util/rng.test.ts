import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeRng } from '../../src/util/rng.js';

describe('makeRng', () => {
  it('ints(n, out, count) gives the same numbers as count calls of int(n), and continues the same stream', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 300 }),
        (seed, n, count) => {
          const a = makeRng(seed);
          const b = makeRng(seed);
          const out = new Uint32Array(count + 5).fill(7);
          a.ints(n, out, count);
          const expected = Array.from({ length: count }, () => b.int(n));
          expect(Array.from(out.subarray(0, count))).toEqual(expected);
          expect(Array.from(out.subarray(count))).toEqual([7, 7, 7, 7, 7]);
          expect(a.next()).toBe(b.next());
          a.ints(n, out);
          expect(Array.from(out)).toEqual(Array.from(out, () => b.int(n)));
        },
      ),
      { numRuns: 200 },
    );
  });
});

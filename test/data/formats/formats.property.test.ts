import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseNpy } from '../../../src/data/index.js';
import { npyBytes, rawOf } from './npy-bytes.js';

const level = fc.constantFrom('a', 'b', 'Zed', 'x y', 'q,r', 'say "hi"');

describe('format properties', () => {
  it('CSV: any table of numbers and levels, written with any separator and quoting, reads back as written', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -1000, max: 1000 }), level, fc.boolean()), { minLength: 2, maxLength: 30 }),
        fc.constantFrom(',', ', ', ';', '\t'),
        fc.boolean(),
        (rows, sep, quoteAll) => {
          fc.pre(new Set(rows.map((r) => r[2])).size === 2);
          const q = (s: string) => (quoteAll || /[,;\t"]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
          const text =
            ['n', 'c', 'y'].map(q).join(sep) +
            '\n' +
            rows.map(([n, c, y]) => [String(n / 4), c, y ? 'yes' : 'no'].map(q).join(sep)).join('\n');
          const r = parseCsv(text, 'p.csv', { label: 'y', separator: sep });
          const levels = [...new Set(rows.map((row) => row[1]))].sort();
          expect(r.classNames).toEqual(['no', 'yes']);
          const f = 1 + levels.length;
          expect(r.dataset.shape).toEqual([f]);
          rows.forEach(([n, c, y], i) => {
            expect(r.dataset.x[i * f]).toBe(n / 4);
            expect(r.dataset.x[i * f + 1 + levels.indexOf(c)]).toBe(1);
            expect(r.dataset.y[i]).toBe(y ? 1 : 0);
          });
          expect(r.dataset.x.reduce((a, v, j) => a + (j % f === 0 ? 0 : v), 0)).toBe(rows.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('CSV: a numeric column with a few missing markers stays numeric, those rows dropped; a stray word is an error at its line', () => {
    const marker = fc.constantFrom('NA', 'N/A', 'n/a', 'na', '?', '', 'null', 'NaN', '-');
    const number = fc.oneof(
      fc.integer({ min: -1e6, max: 1e6 }).map(String),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => v.toExponential(3)),
      fc.integer({ min: 0, max: 999 }).map((v) => ` +${v} `),
    );
    fc.assert(
      fc.property(
        fc.array(number, { minLength: 40, maxLength: 80 }),
        fc.array(fc.tuple(fc.nat(), marker), { maxLength: 2 }),
        fc.nat(),
        fc.constantFrom('abc', 'x1', '1.2.3', 'inf', '0x10', '12%'),
        (values, holes, at, word) => {
          const cells = [...values];
          for (const [i, m] of holes) cells[i % cells.length] = m;
          const missing = new Set(holes.map(([i]) => i % cells.length));
          const text = (cs: string[]) => `v,y\n${cs.map((c, i) => `${c},${i % 2 ? 'p' : 'q'}`).join('\n')}\n`;
          const r = parseCsv(text(cells), 'p.csv', { label: 'y' });
          expect(r.columns[0]!.kind).toBe('numeric');
          expect(r.dataset.n).toBe(cells.length - missing.size);
          const kept = cells.filter((_, i) => !missing.has(i));
          kept.forEach((c, i) => expect(r.dataset.x[i]).toBe(Math.fround(Number(c))));
          const w = at % cells.length;
          if (missing.has(w)) return;
          cells[w] = word;
          const e = (() => {
            try {
              parseCsv(text(cells), 'p.csv', { label: 'y' });
            } catch (err) {
              return err as Error & { line?: number };
            }
            return null;
          })();
          expect(e?.line).toBe(w + 2);
          expect(e?.message).toContain(`The value "${word}" in the numeric column "v"`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('.npy: any array written in Fortran order reads as the same array in C order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.integer(),
        (shape, seed) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const c = Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 1000) - 500);
          // Fortran index of C element: reversed strides
          const f = new Array<number>(n);
          for (let i = 0; i < n; i++) {
            let rest = i;
            const idx = new Array<number>(shape.length);
            for (let d = shape.length - 1; d >= 0; d--) {
              idx[d] = rest % shape[d]!;
              rest = Math.floor(rest / shape[d]!);
            }
            let fi = 0;
            for (let d = shape.length - 1; d >= 0; d--) fi = fi * shape[d]! + idx[d]!;
            f[fi] = c[i]!;
          }
          const a = parseNpy(npyBytes('>i4', shape, true, rawOf('>i4', f)), 'f.npy');
          expect(a.shape).toEqual(shape);
          expect(Array.from(a.data)).toEqual(c);
        },
      ),
    );
  });
});

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
import { parse } from '../../src/lang/index.js';

const root = join(import.meta.dirname, '..', '..');
const sources = [
  ...readdirSync(join(root, 'experiments')).map((f) => join(root, 'experiments', f)),
  join(root, 'test', 'fixtures', 'tiny.mia'),
]
  .filter((f) => /[^/]\.mia$/.test(f) && !f.split('/').pop()!.startsWith('.'))
  .map((f) => readFileSync(f, 'utf8'));

const pieces = [
  'experiment',
  'dataset',
  'model',
  'target',
  'shadows',
  'attack',
  'defense',
  'sweep',
  'report',
  'import',
  'in',
  'expect',
  '<',
  '<=',
  '>',
  '>=',
  '1%',
  'x',
  'mnist',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  ';',
  ':',
  '=',
  '.',
  '@',
  '%',
  '1',
  '-2.5e3',
  '"s"',
  '"',
  '//c\n',
  '/*',
  '*/',
  '\n',
  ' ',
  '$',
  '\u0000',
];
const tokenSoup = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((xs) => xs.join(' '));

/** A valid program with damage: a cut, a deleted or doubled slice, an inserted piece. */
const mutated = fc
  .tuple(
    fc.constantFrom(...sources),
    fc.nat(),
    fc.nat({ max: 40 }),
    fc.constantFrom('cut', 'delete', 'double', 'insert'),
    fc.constantFrom(...pieces),
  )
  .map(([src, at, len, how, piece]) => {
    const i = at % (src.length + 1);
    switch (how) {
      case 'cut':
        return src.slice(0, i);
      case 'delete':
        return src.slice(0, i) + src.slice(i + len);
      case 'double':
        return src.slice(0, i + len) + src.slice(i, i + len) + src.slice(i + len);
      default:
        return src.slice(0, i) + piece + src.slice(i);
    }
  });

function total(src: string): void {
  const p = parse(src, 'f.mia');
  for (const d of p.diagnostics) {
    expect(d.range.start.line).toBeGreaterThanOrEqual(1);
    expect(d.range.start.column).toBeGreaterThanOrEqual(1);
  }
  const c = check(p.value, 'f.mia');
  if (p.diagnostics.length === 0 && c.diagnostics.every((d) => d.severity === 'warning'))
    expect(c.value).not.toBeNull();
}

describe('the parser and checker are total', () => {
  it('on random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => total(s)),
      { numRuns: 300 },
    );
  });

  it('on token soup', () => {
    fc.assert(
      fc.property(tokenSoup, (s) => total(s)),
      { numRuns: 400 },
    );
  });

  it('on mutated valid programs', () => {
    fc.assert(
      fc.property(mutated, (s) => total(s)),
      { numRuns: 400 },
    );
  });
});

describe('the checker is deterministic', () => {
  it('gives the same diagnostics and program twice, on valid and damaged programs', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.constantFrom(...sources)), (s) => {
        const a = check(parse(s, 'f.mia').value, 'f.mia');
        const b = check(parse(s, 'f.mia').value, 'f.mia');
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 200 },
    );
  });
});

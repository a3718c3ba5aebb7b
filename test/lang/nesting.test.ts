/**
 * Nesting of any shape and depth (700 `a {` crashed check and fmt with a stack overflow): every phase a
 * command runs is total on it, and the CLI answers with a located depth error, exit 1, no stack trace.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, MAX_DIAGNOSTICS } from '../../src/lang/nesting-limits.js';
import { everyPhase } from './every-phase.js';
import { mia, tempDir } from '../e2e/helpers.js';

const BRACKETS = ['{', '[', '(', 'a {', 'x = [', 'f(', 'dense(', 'd.take(', 'b { c: ', 'sweep { a in [', '({['];
const opener = fc.constantFrom(...BRACKETS);
const closer = fc.constantFrom('}', ']', ')', ' ', ',', '\n', 'x', ':');
const nested = fc
  .record({
    prefix: fc.constantFrom('', 'experiment e { seed 1 }\n', 'model m { layers [', 'report { metrics '),
    depth: fc.integer({ min: 0, max: 5000 }),
    opens: fc.array(opener, { minLength: 1, maxLength: 4 }),
    closes: fc.integer({ min: 0, max: 5000 }),
    closers: fc.array(closer, { minLength: 1, maxLength: 3 }),
  })
  .map(({ prefix, depth, opens, closes, closers }) => ({
    depth,
    src:
      prefix +
      Array.from({ length: depth }, (_, i) => opens[i % opens.length]).join('') +
      Array.from({ length: closes }, (_, i) => closers[i % closers.length]).join(''),
  }));

describe('nesting of any shape', () => {
  it('arbitrary nested brackets up to depth 5,000: diagnostics, never a throw, past the limit a depth error', () => {
    fc.assert(
      fc.property(nested, ({ depth, src }) => {
        const { diagnostics } = everyPhase(src);
        expect(diagnostics.length).toBeLessThanOrEqual(MAX_DIAGNOSTICS + 1);
        if (depth > MAX_DEPTH) expect(diagnostics.some((d) => d.code === 'E004')).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('mia check and mia fmt: 700 `a {` and other shapes give the located depth error, exit 1, no stack trace', async () => {
    const dir = tempDir();
    const shapes = ['a {'.repeat(700), `x = ${'['.repeat(5000)}`, `f${'('.repeat(3000)}`, '({[a {'.repeat(700)];
    for (const [i, shape] of shapes.entries()) {
      const file = join(dir, `deep${i}.mia`);
      writeFileSync(file, `${shape}\n`);
      for (const cmd of ['check', 'fmt']) {
        const r = await mia([cmd, file]);
        const all = r.stdout + r.stderr;
        expect(r.code, `${cmd} ${shape.slice(0, 12)}`).toBe(1);
        expect(all).not.toMatch(/\n\s+at |RangeError|Maximum call stack/);
        expect(all.match(/error\[E004\]/g)).toHaveLength(1);
        expect(all).toMatch(new RegExp(`deep${i}\\.mia:1:\\d+: error\\[E004\\]: .*deeper than ${MAX_DEPTH}`));
      }
    }
  }, 120_000);
});

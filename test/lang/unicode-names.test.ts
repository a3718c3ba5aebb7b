/**
 * Spec text with characters that look like others or like nothing: a Cyrillic о in a name, a zero-width
 * space, a right-to-left override, a BOM inside a line. `mia check` names each by its code point (the
 * terminal shows "о", which reads as o), and every one reaches the terminal escaped or numbered, exit 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { visible } from '../../src/lang/visible.js';
import { runMain } from '../cli/in-process.js';
import { root, tempDir } from '../e2e/helpers.js';

const quickstart = readFileSync(join(root, 'experiments/quickstart.mia'), 'utf8');

describe('confusable and invisible characters in a spec', () => {
  const cases: [string, string, RegExp][] = [
    [
      'a Cyrillic о in a name',
      'attack lоss =',
      /Unexpected character "о" \(U\+043E; names are ASCII letters, digits and _\)/,
    ],
    ['a zero-width space after a name', 'attack loss\u200b =', /Unexpected character "\\u200b" \(U\+200B;/],
    ['a right-to-left override in a name', 'attack lo\u202ess =', /Unexpected character "\\u202e" \(U\+202E;/],
    ['a BOM inside a line', 'attack loss\ufeff =', /Unexpected character "\\ufeff" \(U\+FEFF;/],
  ];
  it.each(cases)('mia check: %s is numbered and escaped, exit 1', async (_what, text, message) => {
    const f = join(tempDir(), 's.mia');
    writeFileSync(f, quickstart.replace('attack loss =', text));
    const r = await runMain(['check', f]);
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toMatch(message);
    expect(r.stderr + r.stdout).not.toMatch(/[\u200b\u202e\ufeff]/);
  });

  it('visible escapes the zero-width characters and the BOM, and leaves other letters alone', () => {
    expect(visible('a\u200bb\u200cc\u200dd\u2060e\ufefff')).toBe('a\\u200bb\\u200cc\\u200dd\\u2060e\\ufefff');
    expect(visible('Ωmega о é')).toBe('Ωmega о é');
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/check.js';
import { BASE } from '../check/helpers.js';
import { tempDir } from '../e2e/helpers.js';

describe('mia check with several files', () => {
  it('checks every file after a missing one and reports the missing file in its place', () => {
    const dir = tempDir();
    const [a, b, missing] = ['a.mia', 'b.mia', 'missing.mia'].map((f) => join(dir, f)) as [string, string, string];
    writeFileSync(a, BASE);
    writeFileSync(b, `${BASE}attack x = nope {}\n`);
    const out: string[] = [];
    const err: string[] = [];
    const code = checkCommand(
      [a, missing, b],
      false,
      (s) => out.push(s),
      (s) => err.push(s),
    );
    expect(code).toBe(2);
    expect(out).toEqual([`${a}: ok\n`]);
    const text = err.join('');
    expect(text).toContain(`${missing}: No such file`);
    expect(text.indexOf(missing)).toBeLessThan(text.indexOf(`${b}:`));
    expect(text).toMatch(/b\.mia: 1 error/);

    const lines: string[] = [];
    checkCommand(
      [a, missing, b],
      true,
      (s) => lines.push(s),
      () => {},
    );
    expect(lines.map((l) => JSON.parse(l).file)).toEqual([a, missing, b]);
    expect(JSON.parse(lines[1]!)).toMatchObject({ errors: 1, unreadable: expect.stringContaining('No such file') });
  });
});

import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runMain } from './in-process.js';
import { mia, root, tempDir } from '../e2e/helpers.js';

const specs = [
  ...readdirSync(join(root, 'experiments')).map((f) => join(root, 'experiments', f)),
  join(root, 'test', 'fixtures', 'tiny.mia'),
].filter((f) => /[^/]\.mia$/.test(f) && !f.split('/').pop()!.startsWith('.'));

const damages = ['truncate', 'delete-line', 'double-line', 'stray-bytes', 'unknown-name', 'absurd-number'] as const;

function damage(src: string, how: (typeof damages)[number], a: number, b: number): string {
  const lines = src.split('\n');
  const li = a % lines.length;
  switch (how) {
    case 'truncate':
      return src.slice(0, a % (src.length + 1));
    case 'delete-line':
      return [...lines.slice(0, li), ...lines.slice(li + 1)].join('\n');
    case 'double-line':
      return [...lines.slice(0, li + 1), ...lines.slice(li)].join('\n');
    case 'stray-bytes': {
      const i = a % (src.length + 1);
      return src.slice(0, i) + ['$', '\u0000', '\u00ff', '#', '`', '\\'][b % 6]! + src.slice(i);
    }
    case 'unknown-name': {
      const words = [...src.matchAll(/\b[a-z_]{3,}\b/g)];
      const w = words[a % words.length];
      return w ? `${src.slice(0, w.index)}${w[0]}x${src.slice(w.index + w[0].length)}` : src;
    }
    case 'absurd-number': {
      const nums = [...src.matchAll(/\b\d+(\.\d+)?\b/g)];
      const n = nums[a % nums.length];
      return n
        ? src.slice(0, n.index) +
            ['-1', '0', '1e308', '99999999999', '0.0000001', 'NaN', '-0'][b % 7]! +
            src.slice(n.index + n[0].length)
        : src;
    }
  }
}

const run = runMain;

function expectGoodReport(r: { code: number; stderr: string }): void {
  expect([0, 1]).toContain(r.code);
  expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  for (const line of r.stderr.split('\n')) {
    if (/(error|warning)\[/.test(line)) expect(line).toMatch(/^[^:\s]+\.mia:\d+:\d+: (error|warning)\[[EW]\d{3}\]: \S/);
  }
  if (r.code === 1) expect(r.stderr).toMatch(/\.mia:\d+:\d+: error\[E\d{3}\]/);
}

describe('mia check on damaged experiments', () => {
  const dir = tempDir('mia-damage-');
  for (const f of specs) copyFileSync(f, join(dir, f.split('/').pop()!));
  const cases = fc.sample(fc.tuple(fc.constantFrom(...specs), fc.constantFrom(...damages), fc.nat(), fc.nat()), {
    seed: 20240601,
    numRuns: 240,
  });

  it('always exits 0 or 1, never with a stack trace, and every diagnostic names file:line:col (in-process)', async () => {
    let errors = 0;
    for (const [i, [f, how, a, b]] of cases.entries()) {
      const file = join(dir, `damaged-${i}.mia`);
      writeFileSync(file, damage(readFileSync(f, 'utf8'), how, a, b));
      const r = await run(['check', file]);
      expectGoodReport(r);
      if (r.code === 1) errors++;
      const j = await run(['check', '--json', file]);
      expect(j.code).toBe(r.code);
      const parsed = JSON.parse(j.stdout) as { diagnostics: { line: number; column: number; code: string }[] };
      for (const d of parsed.diagnostics) {
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
      }
    }
    expect(errors).toBeGreaterThan(cases.length / 3); // the damage is real
  });

  it('behaves the same in a real subprocess', async () => {
    for (const [i] of cases.slice(0, 4).entries()) {
      const r = await mia(['check', join(dir, `damaged-${i}.mia`)]);
      expectGoodReport(r);
    }
  });
});

describe('mia check and mia fmt commands', () => {
  it('exits 0 on every example, 2 on usage errors', async () => {
    expect((await run(['check', ...specs])).code).toBe(0);
    expect((await run(['check'])).code).toBe(2);
    expect((await run(['check', '--nope', specs[0]!])).code).toBe(2);
    expect((await run(['check', join(root, 'no-such.mia')])).code).toBe(2);
  });

  it('prints a code frame with a caret', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.mia');
    writeFileSync(file, 'experiment x { seed 1 }\ndataset d = mnst\n');
    const r = await run(['check', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:2:13: error[E131]: Unknown data source "mnst". Did you mean "mnist"?`);
    expect(r.stderr).toContain('2 | dataset d = mnst\n  |             ^^^^');
  });

  it('fmt prints, checks and writes atomically; refuses a file with syntax errors', async () => {
    const dir = tempDir();
    const file = join(dir, 'x.mia');
    const messy = 'experiment   x {seed 1}\n\n\ndataset d=mnist // data\n';
    writeFileSync(file, messy);
    const printed = await run(['fmt', file]);
    expect(printed).toMatchObject({ code: 0, stdout: 'experiment x { seed 1 }\n\ndataset d = mnist  // data\n' });
    expect((await run(['fmt', '--check', file])).code).toBe(1);
    expect((await run(['fmt', '--write', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(printed.stdout);
    expect(readdirSync(dir)).toEqual(['x.mia']); // no temp file left behind
    expect((await run(['fmt', '--check', file])).code).toBe(0);
    writeFileSync(file, 'model m {');
    const bad = await run(['fmt', '--write', file]);
    expect(bad.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('model m {');
    expect((await run(['fmt', '--check', '--write', file])).code).toBe(2);
  });
});

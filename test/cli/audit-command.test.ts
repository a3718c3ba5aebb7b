import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './in-process.js';
import { tempDir } from '../e2e/helpers.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await runMain(args);
  return { code, out: stdout, err: stderr };
}

function file(content: string): string {
  const path = join(tempDir('mia-audit-'), 'scores.json');
  writeFileSync(path, content);
  return path;
}

const separated = JSON.stringify({
  in: Array.from({ length: 50 }, (_, i) => 10 + i),
  out: Array.from({ length: 50 }, (_, i) => -i),
});

describe('mia audit --scores', () => {
  it('--json prints ε̂ and the threshold of each method', async () => {
    const r = await run(['audit', '--scores', file(separated), '--json', '--threshold', '5', '--delta', '1e-4']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j.epsilon)).toEqual(['clopper_pearson', 'one_run', 'one_run_fdp', 'gdp']);
    for (const e of Object.values(j.epsilon)) expect(e).toBeGreaterThan(1);
    expect(j.threshold.gdp).toBe(5);
    expect(j.delta).toBe(1e-4);
    expect(j.methods[0].counts).toEqual({ in: 50, out: 50, guesses: 100, correct: 100 });
  });

  it('prints a table by default (Bonferroni), and split gives a reproducible other answer', async () => {
    const f = file(separated);
    const r = await run(['audit', '--scores', f]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Bonferroni-corrected over 100/);
    expect(r.out).toMatch(/^clopper_pearson\s+\d+\.\d{3}\s+10\s+50\s+50\s+100\s+100$/m);
    const s1 = await run(['audit', '--scores', f, '--threshold', 'split', '--seed', '4', '--json']);
    const s2 = await run(['audit', '--scores', f, '--threshold', 'split', '--seed', '4', '--json']);
    expect(s1.out).toBe(s2.out);
    expect(JSON.parse(s1.out).methods[0].counts.in).toBe(25);
  });

  it('bad files get one line naming the file, exit 1', async () => {
    const cases: [string, RegExp][] = [
      ['{"in": [1, 2], "out": []}', /"out" has no scores/],
      ['{"in": [1, "x"], "out": [0]}', /in\[1\] is "x", not a finite number/],
      ['{"in": [1, null], "out": [0]}', /in\[1\] is null/],
      ['{"in": [1, NaN], "out": [0]}', /is not JSON/],
      ['[1, 2]', /not a JSON object/],
      ['{"in": [1]}', /"out" is missing or not an array/],
    ];
    for (const [content, message] of cases) {
      const f = file(content);
      const r = await run(['audit', '--scores', f]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err).toContain(f);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    const missing = await run(['audit', '--scores', '/nonexistent/s.json']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read \/nonexistent\/s.json: no such file/);
  });

  it('--delta 0 audits pure DP with the methods that have a δ = 0 form and names the others', async () => {
    const f = file(separated);
    const j = JSON.parse((await run(['audit', '--scores', f, '--json', '--delta', '0'])).out);
    expect(Object.keys(j.epsilon)).toEqual(['clopper_pearson', 'one_run']);
    expect(j.delta).toBe(0);
    expect(Object.keys(j.leftOut)).toEqual(['one_run_fdp', 'gdp']);
    const t = await run(['audit', '--scores', f, '--delta', '0']);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/δ = 0;/);
    expect(t.out).toMatch(/^gdp left out: it has no δ = 0 form \(.*μ-GDP.*\)\.$/m);
    expect(t.out).toMatch(/^one_run_fdp left out: /m);
  });

  it('usage errors exit 2', async () => {
    const f = file(separated);
    for (const args of [
      [],
      ['--scores', f, '--delta', '-1'],
      ['--scores', f, '--delta', '1'],
      ['--scores', f, '--confidence', '1'],
      ['--scores', f, '--threshold', 'best'],
      ['--scores', f, '--bogus'],
    ])
      expect((await run(['audit', ...args])).code).toBe(2);
  });
});

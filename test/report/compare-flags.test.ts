/**
 * `mia compare` of runs whose figures cannot be trusted: a metric flagged in a run's results.json (every
 * score equal, a TPR level below 1/non-members) is marked in A or B and no change, interval of the change or
 * colour is computed from it; an attack name from a hostile results.json (a line break, an escape, markup)
 * stays on its row. Results are test/fixtures/results-full.json with the flags and names changed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareResults, compareTable, type ResultsJson } from '../../src/report/index.js';
import { runMain } from '../cli/in-process.js';
import { root, tempDir } from '../e2e/helpers.js';

const fixture = (): ResultsJson => JSON.parse(readFileSync(join(root, 'test/fixtures/results-full.json'), 'utf8'));

/** The fixture with its first run's first attack flagged as `flags` says. */
function flagged(flags: { reason: string; message: string; levels?: string[] }[]): ResultsJson {
  const r = fixture();
  r.runs[0]!.attacks[0]!.metrics.flags = flags as never;
  return r;
}

const LOW = { reason: 'tpr_at_zero_fp', message: 'With 15 non-members ...', levels: ['0.001', '0.01'] };
const EQUAL = { reason: 'scores_constant', message: 'Every score is 0.5 ...' };

describe('mia compare: flagged figures', () => {
  it('a TPR level below 1/non-members is marked ? in the side that has it; its change is n/a, never separated', () => {
    const changes = compareResults(fixture(), flagged([LOW]));
    const point = changes[0]!.point;
    const loss = changes.filter((c) => c.point === point && c.attack === 'loss');
    const low = loss.filter((c) => c.metric === 'TPR@0.1%' || c.metric === 'TPR@1%');
    expect(low).toHaveLength(2);
    for (const c of low) expect([c.flagA, c.flagB, c.separated]).toEqual([null, 'tpr_at_zero_fp', false]);
    // the other metrics are measurements still
    for (const c of loss.filter((x) => !low.includes(x))) expect([c.flagA, c.flagB]).toEqual([null, null]);
    const lines = compareTable(changes, 'A', 'B').split('\n');
    const row = lines.find((l) => /^loss\s+TPR@0\.1%/.test(l))!;
    expect(row).toMatch(/\?.*\sn\/a$/);
    expect(row).not.toMatch(/[+-]\d\.\d{4}/);
    expect(lines).toContain(
      '? not a measurement: the FPR level is below 1/(non-members), so this is TPR at zero false positives; no change is computed from it.',
    );
  });

  it('every score equal: each metric of that attack marked ! on both sides, no change', () => {
    const both = flagged([EQUAL]);
    const all = compareResults(both, both);
    const changes = all.filter((c) => c.attack === 'loss' && c.point === all[0]!.point);
    expect(changes.length).toBeGreaterThan(0);
    for (const c of changes)
      expect([c.flagA, c.flagB, c.separated]).toEqual(['scores_constant', 'scores_constant', false]);
    const table = compareTable(all, 'A', 'B');
    expect(table.split('\n').filter((l) => /^loss\s+AUC\s/.test(l))[0]).toMatch(/\d!.*\d!.*n\/a$/);
  });

  it('mia compare (CLI): an attack name with a line break, an escape and markup stays on its rows, exit 0', async () => {
    const dir = tempDir();
    const b = fixture();
    for (const r of b.runs) r.attacks[0]!.name = '<b>x</b>\u001b[31m\nmia: fake';
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a/results.json'), JSON.stringify(fixture()));
    writeFileSync(join(dir, 'b/results.json'), JSON.stringify(b));
    const r = await runMain(['compare', join(dir, 'a'), join(dir, 'b'), '--out', join(dir, 'c.html')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.some((l) => l.startsWith('mia: fake'))).toBe(false);
    expect(lines.filter((l) => l.startsWith('<b>x</b>\\u001b[31m\\nmia: fake  ')).length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'c.html'), 'utf8')).not.toContain('<b>x</b>');
  });
});

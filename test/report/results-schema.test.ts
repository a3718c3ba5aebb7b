/** mia report and mia compare refuse a results.json that does not match its schema: one line naming the field, exit 1. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readResults, ResultsReadError } from '../../src/report/index.js';
import { resultsProblem } from '../../src/report/results-schema.js';
import { runMain } from '../cli/in-process.js';
import { tempDir } from '../e2e/helpers.js';
import { changed, fixture, type Key, nodes, pathText } from './results-json.js';

const real = fixture();
const all = [...nodes(real)].filter((n) => n.keys.length > 0);
/** Settings and class labels may be numbers or strings (a swept text setting, a text class). */
const eitherType = (keys: readonly Key[]): boolean => keys.includes('params') || keys.at(-1) === 'class';
/** Fields results.ts marks optional: a file without them is still a results.json. */
const OPTIONAL = new Set([
  'expectations',
  'ci',
  'resamples',
  'excluded',
  'defenses',
  'privacy',
  'shadowData',
  'audit',
  'budget',
  'failures',
]);
const optional = (keys: readonly Key[]): boolean => {
  const [name, parent, grand] = [keys.at(-1) as string, keys.at(-2), keys.at(-3)];
  if (['epsilon', 'delta', 'noise'].includes(name)) return parent === 'target'; // the target's DP figures
  if (name === 'target') return grand === 'shadowData'; // the target synthesis queried
  if (name === 'queries') return parent === 'target'; // a remote target's; synthesis always says how many
  return OPTIONAL.has(name);
};
const dir = tempDir('mia-schema-');
let n = 0;
const write = (v: unknown): string => {
  const d = join(dir, `r${n++}`);
  mkdirSync(d);
  writeFileSync(join(d, 'results.json'), JSON.stringify(v));
  return d;
};
const refusal = (v: unknown): string | null => {
  try {
    readResults(write(v));
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(ResultsReadError);
    return (e as Error).message;
  }
};

describe('results.json against its schema', () => {
  it('a real results.json (every block: sweep, two targets, DP, audit, expectations, shadow data) passes', () => {
    expect(resultsProblem(real)).toBeNull();
    // fields the schema does not know are ignored: a newer mia may add provenance
    expect(resultsProblem({ ...real, spec: { path: 'a.mia', hash: 'ab' }, git: 'abc' })).toBeNull();
  });

  it('a number turned into a string (or a string into a number) is refused, naming exactly that field', () => {
    const leaves = all.filter(
      (x) => (typeof x.value === 'number' || typeof x.value === 'string') && !eitherType(x.keys),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...leaves),
        fc.constantFrom('0.5', '<script>alert(1)</script>', 7, ''),
        (leaf, bad) => {
          const replaced = typeof leaf.value === 'number' ? String(bad) : 7;
          const message = refusal(changed(real, leaf.keys, replaced));
          expect(message).toMatch(
            new RegExp(
              `^.*results\\.json: ${pathText(leaf.keys).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} must be .* \\(it is a (string|number)\\)\\. This is not a results\\.json as mia run writes it\\.$`,
            ),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a required field removed is refused as missing; an optional one is not', () => {
    const fields = all.filter(
      (x) =>
        typeof x.keys.at(-1) === 'string' &&
        !eitherType(x.keys) &&
        !x.keys.includes('tprAtFpr') &&
        !x.keys.includes('details'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...fields), (f) => {
        const message = refusal(changed(real, f.keys, undefined, true));
        if (optional(f.keys)) expect(message).toBeNull();
        else expect(message).toContain(`: ${pathText(f.keys)} is missing (it must be `);
      }),
      { numRuns: 60 },
    );
  });

  it('an array where an object belongs, or an object where an array belongs, is refused at that field', () => {
    const containers = all.filter((x) => x.value !== null && typeof x.value === 'object' && !eitherType(x.keys));
    fc.assert(
      fc.property(fc.constantFrom(...containers), (c) => {
        const message = refusal(changed(real, c.keys, Array.isArray(c.value) ? {} : []));
        expect(message).toContain(`: ${pathText(c.keys)} must be `);
      }),
      { numRuns: 40 },
    );
  });

  it('samples the ROC cannot be drawn from are refused, not crashed on', () => {
    const s = ['runs', 0, 'attacks', 0, 'samples'];
    const member = (real.runs as { attacks: { samples: { member: number[] } }[] }[])[0]!.attacks[0]!.samples.member;
    expect(refusal(changed(real, [...s, 'member'], member.slice(1)))).toMatch(
      /samples has 30 records, 30 labels, 30 scores and 29 membership flags/,
    );
    expect(
      refusal(
        changed(
          real,
          [...s, 'member'],
          member.map(() => 1),
        ),
      ),
    ).toMatch(/samples\.member must hold both members/);
    expect(
      refusal(
        changed(
          real,
          [...s, 'member'],
          member.map(() => 2),
        ),
      ),
    ).toMatch(/samples\.member must hold only 0 and 1/);
  });

  it('a file that would take minutes to draw is refused before drawing', () => {
    const runs = (real.runs as { attacks: unknown[] }[]).map((r) => ({ ...r, attacks: Array(600).fill(r.attacks[0]) }));
    expect(refusal({ ...real, runs })).toMatch(
      /: runs hold 2400 attack results; mia reports on at most 2000 \(a plot each\)\./,
    );
  });

  it('mia report and mia compare: exit 1 with one line, no stack trace; special files are refused', async () => {
    const bad = write(changed(real, ['runs', 0, 'audit', 'delta'], '<script>'));
    const good = write(real);
    for (const args of [
      ['report', bad],
      ['compare', good, bad],
      ['compare', bad, good],
      ['report', '/dev/zero'],
    ]) {
      const r = await runMain(args);
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        args[1] === '/dev/zero' ? /not a regular file/ : /runs\[0\]\.audit\.delta must be a number \(it is a string\)/,
      );
    }
    expect((await runMain(['report', good])).code).toBe(0);
  });
});

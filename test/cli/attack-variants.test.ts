/** `mia attack --signals` with the reference codes' variants: --lira-centre median and --rmia-trim. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/util/rng.js';
import { tempDir } from '../e2e/helpers.js';
import { runMain } from './in-process.js';

/** 20 members, 20 non-members, 20 population records; 6 reference models, each record IN 3 (losses). */
function signalsFile(dir: string): string {
  const rng = makeRng(2);
  const n = 60;
  const member = Array.from({ length: n }, (_, i) => (i < 20 ? 1 : i < 40 ? 0 : -1));
  const isIn = Array.from({ length: 6 }, (_, k) => member.map((m, r) => (m >= 0 && (k + r) % 2 ? 1 : 0)));
  const loss = (m: number) => Math.abs(1 - 0.5 * m + 0.4 * rng.normal());
  const f = join(dir, 's.json');
  writeFileSync(
    f,
    JSON.stringify({
      member,
      target: { loss: member.map((m) => loss(m === 1 ? 1 : 0)) },
      references: { loss: isIn.map((mask) => mask.map(loss)), in: isIn },
    }),
  );
  return f;
}

const namesIn = (out: string): string[] =>
  (
    JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { runs: { attacks: { name: string }[] }[] }
  ).runs[0]!.attacks.map((a) => a.name);

describe('mia attack --signals --lira-centre / --rmia-trim', () => {
  it('names the variants by what they do, and keeps the paper names by default', async () => {
    const dir = tempDir();
    const f = signalsFile(dir);
    const plain = await runMain([
      'attack',
      '--signals',
      f,
      '--attack',
      'lira',
      '--attack',
      'rmia',
      '--out',
      join(dir, 'a'),
    ]);
    expect(plain.code).toBe(0);
    expect(namesIn(join(dir, 'a'))).toEqual([
      'lira_offline',
      'lira_offline_fixed',
      'lira_online',
      'lira_online_fixed',
      'rmia_offline',
      'rmia_online',
    ]);
    const ref = await runMain([
      'attack',
      '--signals',
      f,
      '--attack',
      'lira',
      '--attack',
      'rmia',
      '--lira-centre',
      'median',
      '--rmia-trim',
      '0.2',
      '--out',
      join(dir, 'b'),
    ]);
    expect(ref.code).toBe(0);
    expect(namesIn(join(dir, 'b'))).toEqual([
      'lira_offline_median',
      'lira_offline_fixed_median',
      'lira_online_median',
      'lira_online_fixed_median',
      'rmia_offline_trimmed',
      'rmia_online_trimmed',
    ]);
  });

  it('refuses a centre other than mean or median and a trim of half or more, as usage errors', async () => {
    const f = signalsFile(tempDir());
    const centre = await runMain(['attack', '--signals', f, '--lira-centre', 'mode']);
    expect(centre.code).toBe(2);
    expect(centre.stderr).toContain('--lira-centre mode is not valid: use mean or median.');
    const trim = await runMain(['attack', '--signals', f, '--rmia-trim', '0.5']);
    expect(trim.code).toBe(2);
    expect(trim.stderr).toContain('--rmia-trim 0.5 is not valid: give a share in [0, 0.5).');
  });
});

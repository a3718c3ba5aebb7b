import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/util/rng.js';
import { mia, tempDir } from './helpers.js';

interface Attack {
  name: string;
  samples: { record: number[]; score: number[] };
  excluded?: { count: number; records: number[]; reason: string };
}

/** 300 members, 300 non-members, 200 population records, 8 references with each record IN 4 (losses). */
function signals(seed: number) {
  const rng = makeRng(seed);
  const n = 800;
  const member = Array.from({ length: n }, (_, i) => (i < 300 ? 1 : i < 600 ? 0 : -1));
  const isIn = Array.from({ length: 8 }, () => new Array<number>(n).fill(0));
  for (let r = 0; r < n; r++)
    for (const k of [0, 1, 2, 3, 4, 5, 6, 7].sort(() => rng.next() - 0.5).slice(0, 4)) isIn[k]![r] = 1;
  const allIn = [7, 650]; // a member and a population record IN every reference
  const noneIn = [400]; // a non-member IN no reference
  for (const m of isIn) {
    for (const r of allIn) m[r] = 1;
    for (const r of noneIn) m[r] = 0;
  }
  const loss = (shift: number) => Math.abs(1 - shift + 0.5 * rng.normal());
  const target = member.map((m) => loss(m === 1 ? 0.6 : 0));
  const refs = isIn.map((mask) => mask.map((x) => loss(x ? 0.6 : 0)));
  return { member, target: { loss: target }, references: { loss: refs, in: isIn } };
}

describe('mia attack --signals with records no reference model can score', () => {
  it('scores every other record, and names the ones left out in the notes and results.json', async () => {
    const dir = tempDir();
    const f = join(dir, 's.json');
    writeFileSync(f, JSON.stringify(signals(4)));
    for (const args of [[], ['--attack', 'lira', '--attack', 'rmia']]) {
      const out = join(dir, `o${args.length}`);
      const r = await mia(['attack', '--signals', f, '--out', out, ...args]);
      expect(r.stderr).toContain('lira offline: 1 of 600 scored records could not be scored');
      expect(r.stderr).toContain('records 7.');
      expect(r.code).toBe(0);
      const attacks = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { runs: { attacks: Attack[] }[] })
        .runs[0]!.attacks;
      const by = (name: string) => attacks.find((a) => a.name === name)!;
      for (const name of ['lira_offline', 'lira_offline_fixed', 'rmia_offline']) {
        expect(by(name).excluded).toMatchObject({ count: 1, records: [7] });
        expect(by(name).samples.record).toHaveLength(599);
        expect(by(name).samples.record).not.toContain(7);
      }
      expect(by('lira_online').excluded).toMatchObject({ count: 2, records: [7, 400] });
      expect(by('rmia_online').excluded).toBeUndefined();
      expect(by('rmia_online').samples.record).toHaveLength(600);
      expect(r.stderr).toContain('rmia offline: 1 population records are');
    }
    // what mia attack writes (losses only: no accuracies; records left out) passes mia report's schema
    const report = await mia(['report', join(dir, 'o4')]);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
  });
});

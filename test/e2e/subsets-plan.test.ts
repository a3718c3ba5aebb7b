/**
 * Every subset operation through `mia plan` (take, rest, taken, sample, classes), and what the planner
 * makes of it in-process: the records each subset names. `classes` used to fail in every spec
 * (the planner had sizes but no labels).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetInfos } from '../../src/cli/prepare.js';
import { mnistFacts } from '../../src/data/mnist.js';
import { program, compilePlan } from '../plan/helpers.js';
import { mia, tempDir } from './helpers.js';

const spec = (members: string, nonmembers: string, pool: string): string => `experiment subsets { seed 2 }
dataset digits = mnist
model small {
  layers [dense(8, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 1, batch: 32 }
}
target victim { model small, members ${members}, nonmembers ${nonmembers} }
shadows refs { model small, count 1, pool ${pool}, size 100 }
attack shokri = threshold { calibration: per_class, shadows: refs }
`;

const CASES: Record<string, [string, string, string]> = {
  take: ['digits.take(300)', 'digits.take(200)', 'digits.rest'],
  rest: ['digits.take(300)', 'digits.take(300)', 'digits.rest'],
  taken: ['digits.take(150)', 'digits.take(150)', 'digits.taken'],
  sample: ['digits.take(300)', 'digits.take(300)', 'digits.sample(500)'],
  classes: ['digits.take(400).classes([0, 1])', 'digits.take(400).classes([0, 1])', 'digits.rest.classes([2])'],
};

describe('subset operations through mia plan', () => {
  for (const [op, [members, nonmembers, pool]] of Object.entries(CASES)) {
    it(`plans a spec using ${op}`, async () => {
      const dir = tempDir('mia-subsets-');
      const file = join(dir, `${op}.mia`);
      writeFileSync(file, spec(members, nonmembers, pool));
      const r = await mia(['plan', file, '--no-cache']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('train/shadow/refs/0');
      expect(r.stdout).toContain('attack/shokri');
    });
  }

  it('gives each subset the records its operations say', async () => {
    const labels = mnistFacts().labels;
    const planOf = (c: [string, string, string]) => {
      const p = program(spec(...c));
      return compilePlan(p, datasetInfos(p), 'wasm');
    };
    const cls = planOf(CASES.classes!);
    const train = cls.jobs.find((j) => j.id === 'train/target/victim')!.spec;
    const shadow = cls.jobs.find((j) => j.id === 'train/shadow/refs/0')!.spec;
    if (train.kind !== 'train' || shadow.kind !== 'train') throw new Error('not train jobs');
    expect(train.trainIdx.length).toBeGreaterThan(50);
    expect(new Set(train.trainIdx.map((r) => labels[r]))).toEqual(new Set([0, 1]));
    expect(new Set(shadow.trainIdx.map((r) => labels[r]))).toEqual(new Set([2]));
    // taken: the shadows draw only from the target's 300 records; rest: never from them.
    const taken = planOf(CASES.taken!);
    const victim = new Set(taken.runs[0]!.target.members.concat(taken.runs[0]!.target.nonmembers));
    const tShadow = taken.jobs.find((j) => j.id === 'train/shadow/refs/0')!.spec;
    if (tShadow.kind !== 'train') throw new Error('not a train job');
    expect(tShadow.trainIdx.every((r) => victim.has(r))).toBe(true);
    const rest = planOf(CASES.rest!);
    const rVictim = new Set(rest.runs[0]!.target.members.concat(rest.runs[0]!.target.nonmembers));
    const rShadow = rest.jobs.find((j) => j.id === 'train/shadow/refs/0')!.spec;
    if (rShadow.kind !== 'train') throw new Error('not a train job');
    expect(rShadow.trainIdx.some((r) => rVictim.has(r))).toBe(false);
  });
});

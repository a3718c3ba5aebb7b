import { describe, expect, it } from 'vitest';
import type { DatasetInfo, TrainSpec } from '../../src/plan/index.js';
import { program, compilePlan } from './helpers.js';

const datasets: DatasetInfo[] = [
  { name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] },
];

const spec = (train: string): string => `experiment t { seed 4 }
dataset digits = mnist
model m { layers [dense(8, relu), dense(classes, softmax)] train { ${train} } }
target victim { model m, members digits.take(200), nonmembers digits.take(200) }
shadows refs { model m, count 2, pool digits.rest, size 100 }
attack shokri = shadow_model { shadows: refs }
`;

describe('compile: early stopping holds out validation records', () => {
  it('trains on the draw less a seeded validation fraction, which no attack scores as a member', () => {
    const plan = compilePlan(
      program(spec('epochs: 5, early_stopping: { patience: 2, validation: 10% }')),
      datasets,
      'wasm',
    );
    const train = plan.jobs.find((j) => j.id === 'train/target/victim')!.spec as TrainSpec;
    expect(train.trainIdx).toHaveLength(180);
    expect(train.validationIdx).toHaveLength(20);
    const run = plan.runs[0]!;
    expect(run.target.members).toEqual(train.trainIdx);
    expect(run.target.nonmembers).toHaveLength(200);
    const held = new Set(train.validationIdx);
    const evaluate = plan.jobs.find((j) => j.id === 'evaluate/shokri')!.spec;
    if (evaluate.kind !== 'evaluate') throw new Error('expected an evaluate job');
    expect(evaluate.members).toBe(180);
    expect(evaluate.candidates.some((r) => held.has(r))).toBe(false);
    // shadows too: their "in" records are what they were trained on
    const shadow = plan.jobs.find((j) => j.id === 'train/shadow/refs/0')!.spec as TrainSpec;
    expect(shadow.trainIdx).toHaveLength(90);
    expect(shadow.validationIdx).toHaveLength(10);
    const attack = plan.jobs.find((j) => j.id === 'attack/shokri')!.spec;
    if (attack.kind !== 'attack') throw new Error('expected an attack job');
    expect(attack.shadows[0]!.models[0]!.inIdx).toEqual(shadow.trainIdx);
  });

  it('leaves the jobs of models without early stopping exactly as they were', () => {
    const plain = compilePlan(program(spec('epochs: 5')), datasets, 'wasm');
    const train = plain.jobs.find((j) => j.id === 'train/target/victim')!.spec as TrainSpec;
    expect(train.trainIdx).toHaveLength(200);
    expect('validationIdx' in train).toBe(false);
  });
});

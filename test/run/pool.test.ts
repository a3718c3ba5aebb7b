import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/ml/index.js';
import type { DatasetInfo } from '../../src/plan/index.js';
import type { JobOutput } from '../../src/run/index.js';
import { loadDataset } from '../../src/data/index.js';
import { datasetInfos } from '../../src/pipeline/plan.js';
import { provideDataset, runJob } from '../../src/run/jobs.js';
import { WorkerPool } from '../../src/run/pool.js';
import { program, compilePlan } from '../plan/helpers.js';

const datasets: DatasetInfo[] = [
  { name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] },
];
const spec = (rate: string) => `experiment t { seed 5 }
dataset digits = mnist
model m { layers [dense(8, relu), dense(classes, softmax)] train { optimizer: adam(${rate}), epochs: 2, batch: 32 } }
target victim { model m, members digits.take(60), nonmembers digits.take(60) }
shadows refs { model m, count 2, pool digits.rest, size 60 }
attack loss = threshold { signal: loss }
attack shokri = shadow_model { shadows: refs, per_class: false }
`;

const weights = (o: JobOutput): number[] => {
  if (o.kind !== 'train') throw new Error(`expected a train output, got ${o.kind}`);
  return Array.from(new Float32Array(o.artifacts.weightData));
};

describe('the worker pool', () => {
  it('trains in workers that read the dataset from shared memory exactly as a job in this thread does', async () => {
    const plan = compilePlan(program(spec('0.01')), datasets, 'cpu');
    const trains = plan.jobs.filter((j) => j.spec.kind === 'train');
    expect(trains.length).toBe(3);
    const pool = new WorkerPool({ size: 2, backend: 'cpu' });
    try {
      const viaPool = await Promise.all(trains.map((j) => pool.run(j, plan.datasets, [])));
      await initBackend('cpu');
      for (const [i, j] of trains.entries()) {
        const here = await runJob(j.spec, plan.datasets, new Map(), () => {});
        expect(weights(viaPool[i]!)).toEqual(weights(here));
      }
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('reports a diverged training as a failed job saying so, with a hint', async () => {
    const plan = compilePlan(program(spec('100000')), datasets, 'cpu');
    const train = plan.jobs.find((j) => j.spec.kind === 'train')!;
    const pool = new WorkerPool({ size: 1, backend: 'cpu' });
    try {
      await expect(pool.run(train, plan.datasets, [])).rejects.toThrow(/^diverged: .*Lower the learning rate/);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('warmed before any job, runs its jobs on the workers it started, as a job in this thread does', async () => {
    const plan = compilePlan(program(spec('0.01')), datasets, 'cpu');
    const trains = plan.jobs.filter((j) => j.spec.kind === 'train').slice(0, 2);
    const pool = new WorkerPool({ size: 2, backend: 'cpu' });
    try {
      await pool.warm();
      await pool.warm(); // a second warm-up starts nothing more
      const outs = await Promise.all(trains.map((j) => pool.run(j, plan.datasets, [])));
      await initBackend('cpu');
      const here = await runJob(trains[1]!.spec, plan.datasets, new Map(), () => {});
      expect(weights(outs[1]!)).toEqual(weights(here));
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("a long-lived thread given another run's dataset of the same name trains on its own run's", async () => {
    // Two runs (a `mia worker` serves many) whose dataset is called d, with other records (another seed).
    const purchase = (seed: number) => `experiment t { seed ${seed} }
dataset d = synthetic_purchase { records: 300, features: 12, classes: 3 }
model m { layers [dense(8, relu), dense(classes, softmax)] train { optimizer: adam(0.01), epochs: 1, batch: 32 } }
target victim { model m, members d.take(60), nonmembers d.take(60) }
attack loss = threshold { signal: loss }
`;
    const [a, b] = [1, 2].map((seed) => {
      const p = program(purchase(seed));
      return compilePlan(p, datasetInfos(p), 'cpu');
    });
    const train = b!.jobs.find((j) => j.spec.kind === 'train')!;
    await initBackend('cpu');
    const own = await runJob(train.spec, b!.datasets, new Map(), () => {});
    const other = loadDataset(a!.datasets[0]!);
    expect(Array.from(other.x.slice(0, 12))).not.toEqual(Array.from(loadDataset(b!.datasets[0]!).x.slice(0, 12)));
    provideDataset(other, a!.datasets); // what the thread kept from run a
    expect(weights(await runJob(train.spec, b!.datasets, new Map(), () => {}))).toEqual(weights(own));
    provideDataset(loadDataset(b!.datasets[0]!), b!.datasets); // its own, provided: used, same bytes
    expect(weights(await runJob(train.spec, b!.datasets, new Map(), () => {}))).toEqual(weights(own));
  }, 60_000);
});

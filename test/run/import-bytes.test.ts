/**
 * A job uses exactly the bytes its hash was made from: `plan` hashes an imported model's files, and the
 * import job refuses files whose bytes changed since (nothing is stored under the old hash); the next
 * plan hashes the new bytes, so they go under a new hash.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, initBackend, ModelFileError, saveArtifacts } from '../../src/ml/index.js';
import type { DatasetInfo, Job } from '../../src/plan/index.js';
import { Cache, execute, type JobOutput } from '../../src/run/index.js';
import { runJob } from '../../src/run/jobs.js';
import { tempDir } from '../e2e/helpers.js';
import { program, compilePlan } from '../plan/helpers.js';

const datasets: DatasetInfo[] = [
  { name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] },
];

/** A model of MNIST digits (flatten, dense softmax) saved by seed into dir as model.json and weights.bin. */
async function saveModel(dir: string, seed: number): Promise<string> {
  const model = buildModel({
    layers: [{ kind: 'flatten' }, { kind: 'dense', units: 'classes', activation: 'softmax' }],
    inputShape: [28, 28, 1],
    classes: 10,
    seed,
  });
  const a = await saveArtifacts(model);
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(a.weightData));
  const manifest = [{ paths: ['weights.bin'], weights: a.weightSpecs }];
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, weightsManifest: manifest }));
  return join(dir, 'model.json');
}

const spec = (path: string) => `experiment t { seed 5 }
dataset digits = mnist
target victim = imported(${JSON.stringify(path)}) { members: digits.take(40), nonmembers: digits.take(40) }
attack loss = threshold { signal: loss }
`;

const inProcess = async (job: Job, inputs: [string, JobOutput][]): Promise<JobOutput> =>
  runJob(job.spec, datasets, new Map(inputs), () => {});

describe('an imported model replaced between plan and job', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('is refused by its import job, which stores nothing; the next plan hashes the new bytes', async () => {
    const dir = tempDir();
    const path = await saveModel(dir, 1);
    const plan = compilePlan(program(spec(path)), datasets, 'cpu');
    const job = plan.jobs.find((j) => j.id === 'import/target/victim')!;
    await saveModel(dir, 2); // same sizes, other weights: a swap the sizes cannot show
    await expect(runJob(job.spec, datasets, new Map(), () => {})).rejects.toThrow(ModelFileError);
    await expect(runJob(job.spec, datasets, new Map(), () => {})).rejects.toThrow(
      /model\.json: The model files changed after mia planned this run .*nothing was stored\. Run again/,
    );
    const cache = new Cache(join(dir, 'cache'));
    const res = await execute(plan, { runner: inProcess, cache, jobs: 1 });
    expect([...res.failed.keys()]).toEqual(['import/target/victim']);
    expect(cache.list()).toEqual([]);
    // planned again, the new bytes have a new hash; run, they are stored under it
    const again = compilePlan(program(spec(path)), datasets, 'cpu');
    const newJob = again.jobs.find((j) => j.id === 'import/target/victim')!;
    expect(newJob.hash).not.toBe(job.hash);
    const ok = await execute(again, { runner: inProcess, cache, jobs: 1 });
    expect(ok.failed.size).toBe(0);
    expect(cache.list()).toContain(newJob.hash);
    expect(cache.list()).not.toContain(job.hash);
  });

  it('the bytes the job stores are the bytes it hashed: restored files run under the first hash', async () => {
    const dir = tempDir();
    const path = await saveModel(dir, 1);
    const plan = compilePlan(program(spec(path)), datasets, 'cpu');
    const files = ['model.json', 'weights.bin'].map((f) => [join(dir, f), readFileSync(join(dir, f))] as const);
    await saveModel(dir, 2);
    for (const [f, bytes] of files) writeFileSync(f, bytes); // back as planned
    const job = plan.jobs.find((j) => j.id === 'import/target/victim')!;
    const out = await runJob(job.spec, datasets, new Map(), () => {});
    expect(out.kind).toBe('train');
  });

  it("plans the model's output: read from the file, or the target's output setting where the file cannot tell", async () => {
    const dir = tempDir();
    const path = await saveModel(dir, 3);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const importOf = (src: string) =>
      compilePlan(program(src), datasets, 'cpu').jobs.find((j) => j.id === 'import/target/victim')!;
    // mia's own saved model ends in a linear layer: logits
    expect(importOf(spec(path)).spec).toMatchObject({ kind: 'import', output: 'logits' });
    json.modelTopology.config.layers.at(-1).config.activation = 'selu';
    writeFileSync(path, JSON.stringify(json));
    expect(() => importOf(spec(path))).toThrow(
      /ends in selu\); say which in the target: output: logits or output: probabilities/,
    );
    const declared = (o: string) => spec(path).replace('{ members:', `{ output: ${o}, members:`);
    const logits = importOf(declared('logits'));
    const probabilities = importOf(declared('probabilities'));
    expect(logits.spec).toMatchObject({ output: 'logits' });
    expect(probabilities.spec).toMatchObject({ output: 'probabilities' });
    expect(logits.hash).not.toBe(probabilities.hash);
    expect(() => program(declared('labels'))).toThrow(/output/);
  });
});

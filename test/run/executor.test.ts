import { describe, expect, it } from 'vitest';
import { compile, type DatasetInfo, type Job } from '../../src/plan/index.js';
import { Cache, execute, type JobOutput, type RunEvent } from '../../src/run/index.js';
import { tempDir } from '../e2e/helpers.js';
import { program } from '../plan/helpers.js';

const datasets: DatasetInfo[] = [{ name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] }];
const spec = (epochs: number) => `experiment t { seed 5 }
dataset digits = mnist
model m { layers [dense(8, relu), dense(classes, softmax)] train { optimizer: adam(0.01), epochs: ${epochs}, batch: 32 } }
target victim { model m, members digits.take(60), nonmembers digits.take(60) }
shadows refs { model m, count 2, pool digits.rest, size 60 }
attack loss = threshold { signal: loss }
attack shokri = shadow_model { shadows: refs, per_class: false }
`;
const plan = compile(program(spec(2)), datasets, 'cpu');

/** A fake job: its output is a function of its id and its inputs, so a wrong input shows. */
const fake = (fail: Set<string> = new Set()) => async (job: Job, inputs: [string, JobOutput][]): Promise<JobOutput> => {
  await new Promise((r) => setTimeout(r, 1));
  if (fail.has(job.id)) throw new Error(`${job.id} broke`);
  const seed = inputs.reduce((s, [name]) => s + name.length, job.id.length);
  return job.spec.kind === 'attack' ? { kind: 'attack', scores: new Float64Array(120).fill(seed) } : { kind: 'query', logits: new Float32Array(10 * 10000).fill(seed), classes: 10 };
};

describe('the executor', () => {
  it('fails only the dependents of a failing job; the others finish; events say so', async () => {
    const events: RunEvent[] = [];
    const res = await execute(plan, { runner: fake(new Set(['train/shadow/refs/1'])), jobs: 2, onEvent: (e) => events.push(e) });
    expect([...res.failed.keys()]).toEqual(['train/shadow/refs/1']);
    expect(new Map(res.cancelled)).toEqual(new Map([['query/shadow/refs/1', 'train/shadow/refs/1'], ['attack/shokri', 'train/shadow/refs/1']]));
    expect(res.computed.sort()).toEqual(['attack/loss', 'query/shadow/refs/0', 'query/target/victim', 'train/shadow/refs/0', 'train/target/victim']);
    expect(res.outputs.has('attack/loss')).toBe(true);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: 'runFinished', ok: false, failed: 1, cancelled: 2, computed: 5 });
    expect(events.filter((e) => e.type === 'jobFailed')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'jobCancelled').map((e) => e.type === 'jobCancelled' && e.id).sort()).toEqual(['attack/shokri', 'query/shadow/refs/1']);
  });

  it('reads what the cache holds, computes only the rest, and recomputes a corrupt entry', async () => {
    const cache = new Cache(tempDir());
    const first = await execute(plan, { runner: fake(), cache });
    expect(first.computed).toHaveLength(plan.jobs.length);
    const ran: string[] = [];
    const runner = fake();
    const warm = await execute(plan, { runner: async (j, i) => { ran.push(j.id); return runner(j, i); }, cache });
    expect(ran).toEqual([]);
    expect(warm.cached).toHaveLength(plan.jobs.length);
    for (const id of ['attack/loss', 'attack/shokri', 'query/target/victim']) expect(warm.outputs.get(id)).toEqual(first.outputs.get(id));

    // the query of one shadow lost: its train job's output is read back, the query reruns, then the attack
    const q = plan.jobs.find((j) => j.id === 'query/shadow/refs/0')!;
    const a = plan.jobs.find((j) => j.id === 'attack/shokri')!;
    cache.remove(q.hash);
    cache.remove(a.hash);
    const events: RunEvent[] = [];
    const again = await execute(plan, { runner: async (j, i) => { ran.push(j.id); return runner(j, i); }, cache, onEvent: (e) => events.push(e) });
    expect(ran).toEqual(['query/shadow/refs/0', 'attack/shokri']);
    expect(again.outputs.get('attack/shokri')).toEqual(first.outputs.get('attack/shokri'));
    expect(events.filter((e) => e.type === 'cacheHit')).toHaveLength(plan.jobs.length - 2);
  });

  it('runs real jobs in worker threads (from the TypeScript sources here); --jobs 1 and 2 give identical outputs', async () => {
    const small = compile(program(spec(1)), datasets, 'cpu');
    const progress: RunEvent[] = [];
    const one = await execute(small, { jobs: 1, onEvent: (e) => { if (e.type === 'progress') progress.push(e); } });
    const two = await execute(small, { jobs: 2 });
    expect(one.failed).toEqual(new Map());
    expect(two.failed).toEqual(new Map());
    for (const id of ['query/target/victim', 'attack/loss', 'attack/shokri']) expect(two.outputs.get(id)).toEqual(one.outputs.get(id));
    expect(progress.filter((e) => e.type === 'progress' && e.id === 'train/target/victim').length).toBeGreaterThanOrEqual(1);

    // a job that throws in its worker fails only what depends on it
    const broken = structuredClone(small);
    const bad = broken.jobs.find((j) => j.id === 'train/shadow/refs/1')!;
    if (bad.spec.kind === 'train') bad.spec.dataset = 'nope';
    const three = await execute(broken, { jobs: 2 });
    expect(three.failed).toEqual(new Map([['train/shadow/refs/1', 'Unknown dataset "nope".']]));
    expect([...three.cancelled.keys()].sort()).toEqual(['attack/shokri', 'query/shadow/refs/1']);
    expect(three.outputs.get('attack/loss')).toEqual(one.outputs.get('attack/loss'));
  });
});

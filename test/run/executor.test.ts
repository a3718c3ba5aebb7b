import { describe, expect, it } from 'vitest';
import type { DatasetInfo, Job } from '../../src/plan/index.js';
import { Cache, execute, type JobOutput, type RunEvent } from '../../src/run/index.js';
// runJob is not part of run/'s public face (only the worker uses it); the fake runner uses it for evaluate jobs.
import { runJob } from '../../src/run/jobs.js';
import { tempDir } from '../e2e/helpers.js';
import { program, compilePlan } from '../plan/helpers.js';

const datasets: DatasetInfo[] = [
  { name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] },
];
const spec = (epochs: number) => `experiment t { seed 5 }
dataset digits = mnist
model m { layers [dense(8, relu), dense(classes, softmax)] train { optimizer: adam(0.01), epochs: ${epochs}, batch: 32 } }
target victim { model m, members digits.take(60), nonmembers digits.take(60) }
shadows refs { model m, count 2, pool digits.rest, size 60 }
attack loss = threshold { signal: loss }
attack shokri = shadow_model { shadows: refs, per_class: false }
`;
const plan = compilePlan(program(spec(2)), datasets, 'cpu');

/**
 * A fake job: its output is a function of its id and its inputs, so a wrong input shows. Attack scores
 * differ per candidate (members score higher by an amount set by the inputs); an evaluate job runs the
 * real metrics code on them, so its output is a proper evaluate output.
 */
const fake =
  (fail: Set<string> = new Set()) =>
  async (job: Job, inputs: [string, JobOutput][]): Promise<JobOutput> => {
    await new Promise((r) => setTimeout(r, 1));
    if (fail.has(job.id)) throw new Error(`${job.id} broke`);
    if (job.spec.kind === 'evaluate') return runJob(job.spec, datasets, new Map(inputs), () => {});
    const seed = inputs.reduce((s, [name]) => s + name.length, job.id.length);
    if (job.spec.kind === 'attack') {
      const { candidates } = job.spec;
      return {
        kind: 'attack',
        scores: Float64Array.from(
          candidates,
          (_, i) => ((i * 37) % 101) / 101 + (i < candidates.length / 2 ? seed / 100 : 0),
        ),
      };
    }
    return { kind: 'query', logits: new Float32Array(10 * 10000).fill(seed), classes: 10 };
  };

describe('the executor', () => {
  it('fails only the dependents of a failing job; the others finish; events say so', async () => {
    const events: RunEvent[] = [];
    const res = await execute(plan, {
      runner: fake(new Set(['train/shadow/refs/1'])),
      jobs: 2,
      onEvent: (e) => events.push(e),
    });
    expect([...res.failed.keys()]).toEqual(['train/shadow/refs/1']);
    expect(new Map(res.cancelled)).toEqual(
      new Map([
        ['query/shadow/refs/1', 'train/shadow/refs/1'],
        ['attack/shokri', 'train/shadow/refs/1'],
        ['evaluate/shokri', 'train/shadow/refs/1'],
      ]),
    );
    expect(res.computed.sort()).toEqual([
      'attack/loss',
      'evaluate/loss',
      'query/shadow/refs/0',
      'query/target/victim',
      'train/shadow/refs/0',
      'train/target/victim',
    ]);
    // the results read the final jobs: the target's query and the evaluations; the attack's scores were let go once evaluated
    expect(res.outputs.get('evaluate/loss')).toMatchObject({ kind: 'evaluate', metrics: { auc: expect.any(Number) } });
    expect(res.outputs.has('query/target/victim')).toBe(true);
    expect(res.outputs.has('attack/loss')).toBe(false);
    expect(res.outputs.has('evaluate/shokri')).toBe(false);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: 'runFinished', ok: false, failed: 1, cancelled: 3, computed: 6 });
    expect(events.filter((e) => e.type === 'jobFailed')).toHaveLength(1);
    expect(
      events
        .filter((e) => e.type === 'jobCancelled')
        .map((e) => e.type === 'jobCancelled' && e.id)
        .sort(),
    ).toEqual(['attack/shokri', 'evaluate/shokri', 'query/shadow/refs/1']);
  });

  it('reads what the cache holds, computes only the rest, and recomputes a corrupt entry', async () => {
    const cache = new Cache(tempDir());
    const first = await execute(plan, { runner: fake(), cache });
    expect(first.computed).toHaveLength(plan.jobs.length);
    const ran: string[] = [];
    const runner = fake();
    const warm = await execute(plan, {
      runner: async (j, i) => {
        ran.push(j.id);
        return runner(j, i);
      },
      cache,
    });
    expect(ran).toEqual([]);
    expect(warm.cached).toHaveLength(plan.jobs.length);
    for (const id of ['evaluate/loss', 'evaluate/shokri', 'query/target/victim']) {
      expect(first.outputs.has(id)).toBe(true);
      expect(warm.outputs.get(id)).toEqual(first.outputs.get(id));
    }

    // the query of one shadow and the attack lost, but the attack's evaluation still cached: the results need nothing else
    const q = plan.jobs.find((j) => j.id === 'query/shadow/refs/0')!;
    const a = plan.jobs.find((j) => j.id === 'attack/shokri')!;
    const ev = plan.jobs.find((j) => j.id === 'evaluate/shokri')!;
    cache.remove(q.hash);
    cache.remove(a.hash);
    const skipEvents: RunEvent[] = [];
    const skipped = await execute(plan, {
      runner: async (j, i) => {
        ran.push(j.id);
        return runner(j, i);
      },
      cache,
      onEvent: (e) => skipEvents.push(e),
    });
    expect(ran).toEqual([]);
    expect(skipped.outputs.get('evaluate/shokri')).toEqual(first.outputs.get('evaluate/shokri'));
    expect(skipEvents.filter((e) => e.type === 'jobSkipped').map((e) => e.type === 'jobSkipped' && e.id)).toEqual([
      'query/shadow/refs/0',
      'attack/shokri',
    ]);
    expect(skipEvents.filter((e) => e.type === 'cacheHit')).toHaveLength(plan.jobs.length - 2);

    // the evaluation lost too: its train job's output is read back, the query reruns, then the attack, then its evaluation
    cache.remove(ev.hash);
    const events: RunEvent[] = [];
    const again = await execute(plan, {
      runner: async (j, i) => {
        ran.push(j.id);
        return runner(j, i);
      },
      cache,
      onEvent: (e) => events.push(e),
    });
    expect(ran).toEqual(['query/shadow/refs/0', 'attack/shokri', 'evaluate/shokri']);
    expect(again.outputs.get('evaluate/shokri')).toEqual(first.outputs.get('evaluate/shokri'));
    expect(events.filter((e) => e.type === 'cacheHit')).toHaveLength(plan.jobs.length - 3);
  });

  it('runs real jobs in worker threads (from the TypeScript sources here); --jobs 1 and 2 give identical outputs', async () => {
    const small = compilePlan(program(spec(1)), datasets, 'cpu');
    const progress: RunEvent[] = [];
    const one = await execute(small, {
      jobs: 1,
      onEvent: (e) => {
        if (e.type === 'progress') progress.push(e);
      },
    });
    const two = await execute(small, { jobs: 2 });
    expect(one.failed).toEqual(new Map());
    expect(two.failed).toEqual(new Map());
    for (const id of ['query/target/victim', 'evaluate/loss', 'evaluate/shokri']) {
      expect(one.outputs.get(id)).toBeDefined();
      expect(two.outputs.get(id)).toEqual(one.outputs.get(id));
    }
    expect(one.outputs.get('evaluate/shokri')).toMatchObject({
      kind: 'evaluate',
      scores: expect.any(Float64Array),
      metrics: { auc: expect.any(Number) },
    });
    expect(
      progress.filter((e) => e.type === 'progress' && e.id === 'train/target/victim').length,
    ).toBeGreaterThanOrEqual(1);

    // a job that throws in its worker fails only what depends on it
    const broken = structuredClone(small);
    const bad = broken.jobs.find((j) => j.id === 'train/shadow/refs/1')!;
    if (bad.spec.kind === 'train') bad.spec.dataset = 'nope';
    const three = await execute(broken, { jobs: 2 });
    expect(three.failed).toEqual(new Map([['train/shadow/refs/1', 'Unknown dataset "nope".']]));
    expect([...three.cancelled.keys()].sort()).toEqual(['attack/shokri', 'evaluate/shokri', 'query/shadow/refs/1']);
    expect(three.outputs.get('evaluate/loss')).toBeDefined();
    expect(three.outputs.get('evaluate/loss')).toEqual(one.outputs.get('evaluate/loss'));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DatasetInfo, Job } from '../../src/plan/index.js';
import { Cache, execute, type JobOutput, type RunEvent } from '../../src/run/index.js';
import { initialState, JOB_STATUSES, overall, reduce, reduceAll, type RunState } from '../../src/run/run-state.js';
import { tempDir } from '../e2e/helpers.js';
import { program, compilePlan } from '../plan/helpers.js';

const datasets: DatasetInfo[] = [
  { name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] },
];
const spec = (count: number) => `experiment t { seed 5 }
dataset digits = mnist
model m { layers [dense(8, relu), dense(classes, softmax)] train { optimizer: adam(0.01), epochs: 3, batch: 32 } }
target victim { model m, members digits.take(60), nonmembers digits.take(60) }
shadows refs { model m, count ${count}, pool digits.rest, size 60 }
attack loss = threshold { signal: loss }
attack shokri = shadow_model { shadows: refs, per_class: false }
`;

/** A fake runner: sends training progress, fails the jobs asked, returns outputs the next jobs accept. */
const fake =
  (fail: Set<string>, delays: number[]) =>
  async (job: Job, _inputs: [string, JobOutput][], progress: (d: number, t: number) => void): Promise<JobOutput> => {
    const wait = delays[job.id.length % delays.length]!;
    for (let e = 1; e <= 3; e++) {
      await new Promise((r) => setTimeout(r, wait));
      progress(e, 3);
    }
    if (fail.has(job.id)) throw new Error(`${job.id} broke\nsecond line`);
    if (job.spec.kind === 'evaluate')
      return {
        kind: 'evaluate',
        scores: new Float64Array(2),
        metrics: { auc: 0.5 },
        perClass: [],
      } as unknown as JobOutput;
    if (job.spec.kind === 'attack') return { kind: 'attack', scores: new Float64Array(job.spec.candidates.length) };
    return { kind: 'query', logits: new Float32Array(10), classes: 10 };
  };

/** What must hold of any state the reducer reaches. */
function consistent(s: RunState): void {
  const recount = Object.fromEntries(JOB_STATUSES.map((k) => [k, 0]));
  for (const id of s.order) recount[s.jobs[id]!.status]!++;
  expect(s.counts).toEqual(recount);
  expect(JOB_STATUSES.reduce((a, k) => a + s.counts[k], 0)).toBe(s.order.length);
  expect(new Set(s.settled).size).toBe(s.settled.length);
  expect(s.settled.length).toBe(s.order.length - s.counts.queued - s.counts.running);
  const o = overall(s);
  expect(o.fraction).toBeGreaterThanOrEqual(0);
  expect(o.fraction).toBeLessThanOrEqual(1);
}

describe('the run-state reducer', () => {
  it('is consistent after every event of any run the executor produces; at the end counts match the run', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(40), { maxLength: 3 }),
        fc.boolean(),
        async (count, workers, delays, failPicks, warm) => {
          const plan = compilePlan(program(spec(count)), datasets, 'cpu');
          const fail = new Set(failPicks.map((i) => plan.jobs[i % plan.jobs.length]!.id));
          const cache = new Cache(tempDir('mia-reducer-'));
          if (warm) await execute(plan, { runner: fake(new Set(), [0]), cache, jobs: 2 });
          const events: RunEvent[] = [];
          const res = await execute(plan, {
            runner: fake(fail, delays),
            cache,
            jobs: workers,
            onEvent: (e) => events.push(e),
          });
          let s = initialState();
          for (const e of events) {
            const before = JSON.stringify(s);
            const prev = s;
            s = reduce(s, e);
            expect(JSON.stringify(prev)).toBe(before); // the input is not mutated
            consistent(s);
          }
          expect(s.counts.queued + s.counts.running).toBe(0);
          expect(s.counts.finished).toBe(res.computed.length);
          expect(s.counts.cached).toBe(res.cached.length);
          expect(s.counts.failed).toBe(res.failed.size);
          expect(s.counts.cancelled).toBe(res.cancelled.size);
          expect(s.finished?.ok).toBe(res.failed.size === 0);
          for (const [id, msg] of res.failed) expect(s.jobs[id]!.error).toBe(msg);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('ignores events that break the job lifecycle and never mutates its input', () => {
    const at = 1;
    const start: RunEvent[] = [
      { type: 'runStarted', experiment: 'x', backend: 'cpu', jobs: 2, workers: 1, at },
      { type: 'jobQueued', id: 'train/a', label: 'train a', at },
      { type: 'jobQueued', id: 'query/a', label: 'query a', at },
    ];
    const s0 = reduceAll(start);
    const frozen = JSON.stringify(s0);
    const s1 = reduceAll(
      [
        { type: 'progress', id: 'train/a', done: 1, total: 3, at: 2 }, // not started: ignored
        { type: 'jobFinished', id: 'train/a', label: 'train a', ms: 1, at: 3 }, // not started: ignored
        { type: 'jobStarted', id: 'train/a', label: 'train a', at: 4 },
        {
          type: 'progress',
          id: 'train/a',
          done: 1.5,
          total: 3,
          train: { epoch: 2, epochs: 3, batch: 1, batches: 2, loss: 0.5 },
          at: 5,
        },
        { type: 'jobFinished', id: 'train/a', label: 'train a', ms: 2, at: 6 },
        { type: 'jobFailed', id: 'train/a', label: 'train a', error: 'late', at: 7 }, // settled: ignored
        { type: 'jobQueued', id: 'train/a', label: 'train a', at: 8 }, // known: ignored
      ],
      s0,
    );
    expect(JSON.stringify(s0)).toBe(frozen);
    expect(s1.jobs['train/a']).toMatchObject({ status: 'finished', kind: 'train', ms: 2, done: 1.5 });
    expect(s1.counts).toMatchObject({ queued: 1, finished: 1, failed: 0 });
    expect(s1.settled).toEqual(['train/a']);
    expect(overall(s1).fraction).toBeCloseTo(1 / 1.05);
    consistent(s1);
  });
});

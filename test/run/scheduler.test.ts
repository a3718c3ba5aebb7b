import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schedule, type SchedJob } from '../../src/run/index.js';

/** A random DAG: job i may depend on any job before it. */
const dag = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc
    .tuple(
      fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.subarray(
            Array.from({ length: i }, (_, k) => k),
            { maxLength: Math.min(3, i) },
          ),
        ),
      ),
      fc.subarray(
        Array.from({ length: n }, (_, i) => i),
        { maxLength: Math.min(3, n) },
      ),
      fc.integer({ min: 1, max: 4 }),
    )
    .map(([deps, failing, concurrency]) => ({
      jobs: deps.map((ds, i): SchedJob => ({ id: `j${i}`, deps: ds.map((d) => `j${d}`) })),
      failing: new Set(failing.map((i) => `j${i}`)),
      concurrency,
    })),
);

/** Every job that (transitively) depends on `id`. */
function downstream(jobs: SchedJob[], ids: Set<string>): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const j of jobs)
      if (!out.has(j.id) && j.deps.some((d) => ids.has(d) || out.has(d))) {
        out.add(j.id);
        grew = true;
      }
  }
  return out;
}

describe('the scheduler (model-based, under fc.scheduler)', () => {
  it('starts a job only after its inputs finish, runs each once, stays within the concurrency, and a failure cancels exactly its dependents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), dag, async (s, { jobs, failing, concurrency }) => {
        const finished = new Set<string>();
        const started: string[] = [];
        let running = 0,
          maxRunning = 0;
        const byId = new Map(jobs.map((j) => [j.id, j]));
        const run = async (id: string): Promise<void> => {
          expect(started).not.toContain(id);
          for (const d of byId.get(id)!.deps) expect(finished.has(d)).toBe(true);
          started.push(id);
          running++;
          maxRunning = Math.max(maxRunning, running);
          try {
            await s.schedule(Promise.resolve(id), `run ${id}`);
            if (failing.has(id)) throw new Error(`${id} failed`);
            finished.add(id);
          } finally {
            running--;
          }
        };
        const cancelledSeen: string[] = [];
        const done = schedule(jobs, concurrency, run, { onCancel: (id) => cancelledSeen.push(id) });
        const res = await s.waitFor(done);

        const blocked = downstream(jobs, failing);
        const expectedFailed = [...failing].filter((f) => !blocked.has(f));
        expect(new Set(res.failed.keys())).toEqual(new Set(expectedFailed));
        expect(new Set(res.cancelled.keys())).toEqual(downstream(jobs, new Set(expectedFailed)));
        expect(new Set(cancelledSeen)).toEqual(new Set(res.cancelled.keys()));
        expect(cancelledSeen.length).toBe(res.cancelled.size);
        expect(new Set(started)).toEqual(new Set(jobs.map((j) => j.id).filter((id) => !blocked.has(id))));
        expect(started.length).toBe(new Set(started).size);
        expect(new Set(res.finished)).toEqual(finished);
        expect(maxRunning).toBeLessThanOrEqual(concurrency);
        // every cancellation names a failed job it depends on
        for (const [id, because] of res.cancelled) {
          expect(res.failed.has(because)).toBe(true);
          expect(downstream(jobs, new Set([because])).has(id)).toBe(true);
        }
      }),
      { numRuns: 200, interruptAfterTimeLimit: 60_000 },
    );
  });

  it('uses every slot when enough jobs are ready', async () => {
    let running = 0,
      max = 0;
    const jobs = Array.from({ length: 6 }, (_, i) => ({ id: `j${i}`, deps: [] }));
    await schedule(jobs, 3, async () => {
      running++;
      max = Math.max(max, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    });
    expect(max).toBe(3);
  });

  it('starts nothing more once aborted, and reports what never started', async () => {
    const ac = new AbortController();
    const jobs = [
      { id: 'a', deps: [] },
      { id: 'b', deps: ['a'] },
      { id: 'c', deps: ['b'] },
    ];
    const ran: string[] = [];
    const res = await schedule(
      jobs,
      1,
      async (id) => {
        ran.push(id);
        if (id === 'a') ac.abort();
      },
      { signal: ac.signal },
    );
    expect(ran).toEqual(['a']);
    expect(res.aborted).toBe(true);
    expect(res.notStarted).toEqual(['b', 'c']);
  });

  it('starts the job with the longest chain below it first', async () => {
    const order: string[] = [];
    const jobs = [
      { id: 'leaf', deps: [] },
      { id: 'root', deps: [] },
      { id: 'mid', deps: ['root'] },
      { id: 'end', deps: ['mid'] },
    ];
    await schedule(jobs, 1, async (id) => {
      order.push(id);
    });
    expect(order).toEqual(['root', 'mid', 'leaf', 'end']);
  });
});

/** The executor's first phase: which jobs the cache spares, which must run. */
import type { Job, Plan } from '../plan/index.js';
import type { Cache } from './cache.js';
import type { EventSink } from './events.js';
import type { JobOutput } from './jobs.js';

const now = (): number => Date.now();

/** The jobs whose outputs the results read. */
export const finalJobs = (plan: Plan): Set<string> =>
  new Set(
    plan.runs.flatMap((r) => [
      r.target.query,
      ...r.attacks.map((a) => a.evaluate),
      ...(r.synthesis ?? []).map((x) => x.job),
    ]),
  );

export interface CachePass {
  finals: Set<string>;
  outputs: Map<string, JobOutput>;
  cached: string[];
  /** The jobs to compute, in plan order. */
  toRun: Job[];
}

/**
 * The cache pass: walks from the results back, stopping at outputs the cache holds, and reports each
 * job found in the cache or not needed.
 */
export function cachePass(plan: Plan, cache: Cache | null, emit: EventSink): CachePass {
  const finals = finalJobs(plan);
  const needed = new Set(finals);
  const outputs = new Map<string, JobOutput>();
  const cached: string[] = [];
  const toRun: Job[] = [];
  for (const job of [...plan.jobs].reverse()) {
    if (!needed.has(job.id)) continue;
    if (cache) {
      const got = cache.get<JobOutput>(job.hash);
      if (got.status === 'hit') {
        outputs.set(job.id, got.value);
        continue;
      }
      if (got.status === 'corrupt')
        emit({ type: 'cacheCorrupt', id: job.id, label: job.label, reason: got.reason, at: now() });
    }
    toRun.push(job);
    for (const d of job.deps) needed.add(d);
  }
  toRun.reverse();
  for (const job of plan.jobs) {
    if (outputs.has(job.id)) {
      cached.push(job.id);
      emit({ type: 'cacheHit', id: job.id, label: job.label, at: now() });
    } else if (!needed.has(job.id)) {
      if (cache?.verify(job.hash).status === 'hit') {
        cached.push(job.id);
        emit({ type: 'cacheHit', id: job.id, label: job.label, at: now() });
      } else
        emit({
          type: 'jobSkipped',
          id: job.id,
          label: job.label,
          reason: 'the jobs that use it found their outputs in the cache',
          at: now(),
        });
    }
  }
  return { finals, outputs, cached, toRun };
}

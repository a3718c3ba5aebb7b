/**
 * The executor: runs a plan's jobs in dependency order on a pool of worker threads, reading what it
 * can from the content-addressed cache and writing what it computes there. A failing job fails its
 * dependents only; the others still run. Results never depend on the number of workers, the order
 * jobs ran in, or the cache: outputs are keyed by job and a cached output is the computed one, byte
 * for byte.
 */
import { availableParallelism } from 'node:os';
import type { Job, Plan } from '../plan/index.js';
import type { Cache } from './cache.js';
import type { EventSink } from './events.js';
import type { JobOutput, Progress } from './jobs.js';
import { WorkerPool } from './pool.js';
import { schedule } from './scheduler.js';

/** Runs one job given its inputs (keyed by the names its spec uses). The default runs it in a worker. */
export type JobRunner = (job: Job, inputs: [string, JobOutput][], progress: Progress) => Promise<JobOutput>;

export interface ExecuteOptions {
  onEvent?: EventSink;
  /** Worker threads (default: the number of cores). */
  jobs?: number;
  cache?: Cache | null;
  signal?: AbortSignal;
  /** Replaces the worker pool (tests). */
  runner?: JobRunner;
}

export interface ExecuteResult {
  outputs: Map<string, JobOutput>; // at least the outputs the plan's runs read
  failed: Map<string, string>; // job id → error message
  cancelled: Map<string, string>; // job id → the failed dependency
  computed: string[];
  cached: string[];
  interrupted: boolean;
  ms: number;
}

export const defaultJobs = (): number => availableParallelism();

/** The jobs whose outputs the results read. */
export const finalJobs = (plan: Plan): Set<string> =>
  new Set(plan.runs.flatMap((r) => [r.target.query, ...r.attacks.map((a) => a.evaluate)]));

export async function execute(plan: Plan, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
  const emit = opts.onEvent ?? (() => {});
  const now = (): number => Date.now();
  const t0 = now();
  const workers = Math.max(1, Math.floor(opts.jobs ?? defaultJobs()));
  const cache = opts.cache ?? null;
  emit({
    type: 'runStarted',
    experiment: plan.experiment,
    backend: plan.backend,
    jobs: plan.jobs.length,
    workers,
    at: t0,
  });
  for (const job of plan.jobs) emit({ type: 'jobQueued', id: job.id, label: job.label, at: now() });

  // What must be computed: walk from the results back, stopping at outputs the cache holds.
  const finals = finalJobs(plan);
  const byId = new Map(plan.jobs.map((j) => [j.id, j]));
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

  // Outputs no one will read again are let go (the final ones are kept for the results).
  const readers = new Map<string, number>();
  for (const j of toRun) for (const d of j.deps) readers.set(d, (readers.get(d) ?? 0) + 1);
  const consumed = (id: string): void => {
    const left = (readers.get(id) ?? 0) - 1;
    readers.set(id, left);
    if (left <= 0 && !finals.has(id)) outputs.delete(id);
  };

  const pool = opts.runner
    ? null
    : new WorkerPool({
        size: Math.min(workers, Math.max(1, toRun.length)),
        backend: plan.backend,
        onProgress: (id, done, total, note) =>
          emit({ type: 'progress', id, done, total, ...(note ? { note } : {}), at: now() }),
      });
  const runner: JobRunner = opts.runner ?? ((job, inputs) => pool!.run(job, plan.datasets, inputs));
  const onAbort = (): void => {
    void pool?.close();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const computed: string[] = [];
  const failed = new Map<string, string>();
  const cancelled = new Map<string, string>();
  const run = async (id: string): Promise<void> => {
    const job = byId.get(id)!;
    const start = now();
    emit({ type: 'jobStarted', id, label: job.label, at: start });
    try {
      const inputs = job.deps.map((d, i): [string, JobOutput] => {
        const o = outputs.get(d);
        if (!o) throw new Error(`Bug: the output of ${d} is missing.`);
        return [job.inputs[i] ?? d, o];
      });
      const out = await runner(job, inputs, (done, total, note) =>
        emit({ type: 'progress', id, done, total, ...(note ? { note } : {}), at: now() }),
      );
      if (opts.signal?.aborted) throw new Error('The run was stopped.');
      outputs.set(id, out);
      computed.push(id);
      if (cache) {
        try {
          cache.put(job.hash, job.id, out);
        } catch (e) {
          emit({
            type: 'warning',
            message: `Could not write ${job.label} to the cache: ${(e as Error).message}`,
            at: now(),
          });
        }
      }
      for (const d of job.deps) consumed(d);
      emit({ type: 'jobFinished', id, label: job.label, ms: now() - start, at: now() });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (!opts.signal?.aborted) {
        failed.set(id, msg);
        emit({ type: 'jobFailed', id, label: job.label, error: msg, at: now() });
      }
      throw e;
    }
  };
  try {
    const res = await schedule(
      toRun.map((j) => ({ id: j.id, deps: j.deps })),
      workers,
      run,
      {
        signal: opts.signal,
        onCancel: (id, because) => {
          if (opts.signal?.aborted) return;
          cancelled.set(id, because);
          emit({ type: 'jobCancelled', id, label: byId.get(id)!.label, because, at: now() });
        },
      },
    );
    const interrupted = res.aborted || Boolean(opts.signal?.aborted);
    const ms = now() - t0;
    emit({
      type: 'runFinished',
      ok: !interrupted && failed.size === 0 && cancelled.size === 0,
      ms,
      computed: computed.length,
      cached: cached.length,
      failed: failed.size,
      cancelled: cancelled.size,
      interrupted,
      at: now(),
    });
    return { outputs, failed, cancelled, computed, cached, interrupted, ms };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await pool?.close();
  }
}

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
import { cachePass, finalJobs } from './cache-pass.js';
import { schedule } from './scheduler.js';
import { fileSystemProblem } from '../util/fs-errors.js';

export { finalJobs };

/** Runs one job given its inputs (keyed by the names its spec uses). The default runs it in a worker. */
export type JobRunner = (job: Job, inputs: [string, JobOutput][], progress: Progress) => Promise<JobOutput>;

/**
 * Runs one job elsewhere (a queue's workers), which writes its output to the cache: resolves with that
 * output, read back, when `wanted` (the results read it), else with null once it is there.
 */
export type RemoteRunner = (job: Job, wanted: boolean, progress: Progress) => Promise<JobOutput | null>;

export interface ExecuteOptions {
  onEvent?: EventSink;
  /** Worker threads (default: the number of cores). */
  jobs?: number;
  cache?: Cache | null;
  signal?: AbortSignal;
  /** Replaces the worker pool (tests). */
  runner?: JobRunner;
  /**
   * Runs the jobs elsewhere (a queue), up to `inFlight` at once, in place of the worker pool (no local
   * workers are counted): their outputs are in the cache once they end, and only the ones the results
   * read come back here.
   */
  remote?: { run: RemoteRunner; inFlight: number };
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

const now = (): number => Date.now();

export async function execute(plan: Plan, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
  const emit = opts.onEvent ?? (() => {});
  const t0 = now();
  const workers = Math.max(1, Math.floor(opts.jobs ?? defaultJobs()));
  const cache = opts.cache ?? null;
  const remote = opts.remote ?? null;
  announce(plan, remote ? 0 : workers, t0, emit);
  const pass = cachePass(plan, cache, emit);
  const pool = opts.runner || remote ? null : startPool(plan, Math.min(workers, Math.max(1, pass.toRun.length)), emit);
  const runner: JobRunner = opts.runner ?? ((job, inputs) => pool!.run(job, plan.datasets, inputs));
  const onAbort = (): void => {
    void pool?.close();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const state: RunState = { outputs: pass.outputs, computed: [], failed: new Map(), cancelled: new Map() };
  try {
    const ctx: Pick<JobContext, 'run' | 'cache'> = remote
      ? { run: (job, progress) => remote.run(job, pass.finals.has(job.id), progress), cache: null }
      : { run: (job, progress) => runner(job, inputsOf(job, state.outputs), progress), cache };
    const run = jobRunner(
      plan,
      state,
      { ...ctx, signal: opts.signal, emit },
      releaser(pass.toRun, pass.finals, state.outputs),
    );
    const aborted = await dispatch(plan, pass.toRun, remote?.inFlight ?? workers, run, state, opts.signal, emit);
    return settle(state, pass.cached, aborted || Boolean(opts.signal?.aborted), t0, emit);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await pool?.close();
  }
}

/** What the jobs of one run have produced so far. */
interface RunState {
  outputs: Map<string, JobOutput>;
  computed: string[];
  failed: Map<string, string>;
  cancelled: Map<string, string>;
}

function announce(plan: Plan, workers: number, t0: number, emit: EventSink): void {
  emit({
    type: 'runStarted',
    experiment: plan.experiment,
    backend: plan.backend,
    jobs: plan.jobs.length,
    workers,
    at: t0,
  });
  for (const job of plan.jobs)
    emit({ type: 'jobQueued', id: job.id, label: job.label, kind: job.spec.kind, at: now() });
}

/** Outputs no one will read again are let go (the final ones are kept for the results). */
function releaser(toRun: readonly Job[], finals: Set<string>, outputs: Map<string, JobOutput>): (id: string) => void {
  const readers = new Map<string, number>();
  for (const j of toRun) for (const d of j.deps) readers.set(d, (readers.get(d) ?? 0) + 1);
  return (id) => {
    const left = (readers.get(id) ?? 0) - 1;
    readers.set(id, left);
    if (left <= 0 && !finals.has(id)) outputs.delete(id);
  };
}

function startPool(plan: Plan, size: number, emit: EventSink): WorkerPool {
  return new WorkerPool({
    size,
    backend: plan.backend,
    onProgress: (id, done, total, note, train) =>
      emit({ type: 'progress', id, done, total, ...(note ? { note } : {}), ...(train ? { train } : {}), at: now() }),
  });
}

interface JobContext {
  /** Runs a job: its output, or null where it stays in the cache (a remote run's that the results do not read). */
  run: (job: Job, progress: Progress) => Promise<JobOutput | null>;
  /** Where outputs are written (null: nowhere, or the remote workers wrote them). */
  cache: Cache | null;
  signal: AbortSignal | undefined;
  emit: EventSink;
}

/** A job's inputs from the outputs so far, keyed by the names its spec uses. */
function inputsOf(job: Job, outputs: Map<string, JobOutput>): [string, JobOutput][] {
  return job.deps.map((d, i): [string, JobOutput] => {
    const o = outputs.get(d);
    if (!o) throw new Error(`Bug: the output of ${d} is missing.`);
    return [job.inputs[i] ?? d, o];
  });
}

/** Runs one job: its output into the outputs so far and the cache; a failure is recorded and rethrown. */
function jobRunner(
  plan: Plan,
  state: RunState,
  { run, cache, signal, emit }: JobContext,
  consumed: (id: string) => void,
): (id: string) => Promise<void> {
  const byId = new Map(plan.jobs.map((j) => [j.id, j]));
  return async (id) => {
    const job = byId.get(id)!;
    const start = now();
    emit({ type: 'jobStarted', id, label: job.label, at: start });
    try {
      const out = await run(job, (done, total, note, train) =>
        emit({ type: 'progress', id, done, total, ...(note ? { note } : {}), ...(train ? { train } : {}), at: now() }),
      );
      if (signal?.aborted) throw new Error('The run was stopped.');
      if (out) state.outputs.set(id, out);
      state.computed.push(id);
      if (cache && out) storeInCache(cache, job, out, emit);
      for (const d of job.deps) consumed(d);
      emit({ type: 'jobFinished', id, label: job.label, ms: now() - start, at: now() });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (!signal?.aborted) {
        state.failed.set(id, msg);
        emit({ type: 'jobFailed', id, label: job.label, error: msg, at: now() });
      }
      throw e;
    }
  };
}

/** A cache that cannot be written costs a warning, not the job. */
function storeInCache(cache: Cache, job: Job, out: JobOutput, emit: EventSink): void {
  try {
    cache.put(job.hash, job.id, out);
  } catch (e) {
    emit({
      type: 'warning',
      message: `Could not write ${job.label} to the cache: ${fileSystemProblem(e) ?? (e as Error).message}`,
      at: now(),
    });
  }
}

/** Dispatch: the scheduler runs the jobs; the dependents of a failed one are cancelled. True when aborted. */
async function dispatch(
  plan: Plan,
  toRun: readonly Job[],
  workers: number,
  run: (id: string) => Promise<void>,
  state: RunState,
  signal: AbortSignal | undefined,
  emit: EventSink,
): Promise<boolean> {
  const labels = new Map(plan.jobs.map((j) => [j.id, j.label]));
  const res = await schedule(
    toRun.map((j) => ({ id: j.id, deps: j.deps })),
    workers,
    run,
    {
      signal,
      onCancel: (id, because) => {
        if (signal?.aborted) return;
        state.cancelled.set(id, because);
        emit({ type: 'jobCancelled', id, label: labels.get(id)!, because, at: now() });
      },
    },
  );
  return res.aborted;
}

/** Settle: the run's summary event and result. */
function settle(state: RunState, cached: string[], interrupted: boolean, t0: number, emit: EventSink): ExecuteResult {
  const { outputs, failed, cancelled, computed } = state;
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
}

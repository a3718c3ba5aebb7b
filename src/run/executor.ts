/**
 * The executor: runs a plan's jobs in dependency order and emits typed events. A failing job fails
 * its dependents only; the others still run.
 */
import type { Job, Plan } from '../plan/index.js';
import type { EventSink } from './events.js';
import { runJob, type JobOutput } from './jobs.js';

export interface ExecuteOptions { onEvent?: EventSink }

export interface ExecuteResult {
  outputs: Map<string, JobOutput>;
  failed: Map<string, string>;     // job id → error message
  cancelled: Map<string, string>;  // job id → the failed dependency
  ms: number;
}

export async function execute(plan: Plan, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
  const emit = opts.onEvent ?? (() => {});
  const t0 = Date.now();
  emit({ type: 'runStarted', experiment: plan.experiment, backend: plan.backend, jobs: plan.jobs.length, at: t0 });
  const outputs = new Map<string, JobOutput>();
  const failed = new Map<string, string>();
  const cancelled = new Map<string, string>();
  for (const job of plan.jobs) emit({ type: 'jobQueued', id: job.id, label: job.label, at: Date.now() });
  for (const job of plan.jobs) {
    const bad = job.deps.find((d) => failed.has(d) || cancelled.has(d));
    if (bad) {
      cancelled.set(job.id, bad);
      emit({ type: 'jobCancelled', id: job.id, label: job.label, because: bad, at: Date.now() });
      continue;
    }
    await runOne(job, plan, outputs, failed, emit);
  }
  const ms = Date.now() - t0;
  emit({ type: 'runFinished', ok: failed.size === 0 && cancelled.size === 0, ms, at: Date.now() });
  return { outputs, failed, cancelled, ms };
}

async function runOne(job: Job, plan: Plan, outputs: Map<string, JobOutput>, failed: Map<string, string>, emit: EventSink): Promise<void> {
  const start = Date.now();
  emit({ type: 'jobStarted', id: job.id, label: job.label, at: start });
  try {
    const inputs = new Map(job.deps.map((d) => [d, outputs.get(d)!] as const));
    const out = await runJob(job.spec, plan.datasets, inputs, (done, total, note) => emit({ type: 'progress', id: job.id, done, total, ...(note ? { note } : {}), at: Date.now() }));
    outputs.set(job.id, out);
    emit({ type: 'jobFinished', id: job.id, label: job.label, ms: Date.now() - start, at: Date.now() });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    failed.set(job.id, msg);
    emit({ type: 'jobFailed', id: job.id, label: job.label, error: msg, at: Date.now() });
  }
}

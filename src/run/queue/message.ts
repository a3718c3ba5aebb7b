/**
 * What goes on the queue for one job: its spec, the datasets' descriptions and, per input, the hash
 * under which its output lies in the store. Plain JSON; the outputs themselves never travel through
 * Redis, they are read from and written to the shared store.
 */
import type { DatasetInfo, Job, JobSpec, Plan } from '../../plan/index.js';

export const QUEUE_PREFIX = 'mia';
const FORMAT = 1;
const HASH_RE = /^[0-9a-f]{64}$/;

export interface JobMessage {
  format: number;
  hash: string;
  id: string;
  label: string;
  backend: string;
  spec: JobSpec;
  /** The plan's datasets, without their labels and notes (workers load what they need). */
  datasets: DatasetInfo[];
  /** Per input: the name the spec uses and the hash of the job whose output it is. */
  inputs: [string, string][];
}

/** Which worker ran a job, as the worker says on completion (and at its start, as progress). */
export interface WorkerStamp {
  /** host:pid, unique while the worker lives. */
  worker: string;
  host: string;
  /** Jobs it runs at once (`mia worker --jobs`). */
  slots: number;
}

/** The value a worker returns for a job. `reused`: the output was already in the store, nothing ran. */
export interface JobDone extends WorkerStamp {
  ms: number;
  reused: boolean;
}

export function jobMessage(plan: Plan, job: Job): JobMessage {
  const hashOf = new Map(plan.jobs.map((j) => [j.id, j.hash]));
  return {
    format: FORMAT,
    hash: job.hash,
    id: job.id,
    label: job.label,
    backend: plan.backend,
    spec: job.spec,
    datasets: plan.datasets.map(({ labels: _l, notes: _n, ...d }) => d),
    inputs: job.deps.map((d, i) => [job.inputs[i] ?? d, hashOf.get(d)!]),
  };
}

/** A message as a worker reads it: refused with a sentence when it is not one of ours. */
export function readMessage(data: unknown): JobMessage {
  const m = data as Partial<JobMessage> | null;
  if (typeof m !== 'object' || m === null) throw new Error('The queue held a job that is not a mia job.');
  if (m.format !== FORMAT)
    throw new Error(
      `The queue held a job of format ${String(m.format)}; this worker reads format ${FORMAT} (update mia).`,
    );
  const ok =
    typeof m.hash === 'string' &&
    HASH_RE.test(m.hash) &&
    typeof m.id === 'string' &&
    typeof m.label === 'string' &&
    typeof m.backend === 'string' &&
    typeof m.spec === 'object' &&
    m.spec !== null &&
    Array.isArray(m.datasets) &&
    Array.isArray(m.inputs) &&
    m.inputs.every(
      (p) => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string' && HASH_RE.test(p[1]),
    );
  if (!ok) throw new Error('The queue held a mia job with missing or malformed fields.');
  return m as JobMessage;
}

/** A job as the worker pool takes it, rebuilt from a message. */
export const jobOf = (m: JobMessage): Job => ({
  id: m.id,
  label: m.label,
  deps: m.inputs.map(([, h]) => h),
  inputs: m.inputs.map(([n]) => n),
  hash: m.hash,
  spec: m.spec,
});

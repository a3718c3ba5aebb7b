/**
 * `mia worker`: takes jobs from the queue and runs them on this machine's worker pool, reading their
 * inputs from the shared store (verified) and writing their outputs there (atomically) before the job
 * counts as done. A job whose output the store already holds is not run again. A worker that dies
 * mid-job holds its lock only until it expires (`lockMs`); then another worker's stalled-job check
 * puts the job back on the queue and someone else runs it.
 */
import { hostname } from 'node:os';
import { Worker, type Job as BullJob } from 'bullmq';
import { resolveBackend } from '../../ml/backend-choice.js';
import { type Cache, type JobOutput, type Progress, type TrainTick, WorkerPool } from '../index.js';
import { bullConnection, probe } from './connect.js';
import { type JobDone, jobOf, type JobMessage, QUEUE_PREFIX, readMessage, type WorkerStamp } from './message.js';
import { queueName, storeId } from './store-id.js';
import { type QueueAddress, scrub } from './url.js';

export interface QueueWorkerOptions {
  address: QueueAddress;
  store: Cache;
  /** Jobs run at once (worker threads). */
  jobs: number;
  /** How long a job's lock lasts without renewal: how soon a dead worker's job goes to another. */
  lockMs: number;
  /** One line per event worth a log (no newline). */
  log: (line: string) => void;
}

export interface QueueWorker {
  stamp: WorkerStamp;
  /** Stops taking jobs; waits for the running ones unless `now`. */
  close(now?: boolean): Promise<void>;
}

/** Progress sent to the coordinator at most this often per job (and at the start and end of each epoch). */
const PROGRESS_MS = 250;

/**
 * MIA_QUEUE_JOB_DELAY_MS (tests only): a pause after a worker has taken a job and said so, before it runs it,
 * so that a test can kill the worker while it holds the job (a small job otherwise ends before the signal).
 */
const heldForTests = (): Promise<void> => {
  const ms = Math.max(0, Math.min(600_000, Number(process.env.MIA_QUEUE_JOB_DELAY_MS) || 0));
  return ms ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
};

export async function startQueueWorker(o: QueueWorkerOptions): Promise<QueueWorker> {
  await probe(o.address);
  const stamp: WorkerStamp = { worker: `${hostname()}:${process.pid}`, host: hostname(), slots: o.jobs };
  const progressOf = new Map<string, Progress>();
  const { poolFor, pools } = poolsOf(o.jobs, progressOf);
  // Its threads load tfjs before the worker takes a job: a job never waits for a backend, and a worker
  // still starting leaves the jobs to the ones that can run them now.
  await poolFor(resolveBackend('auto')).warm();
  const run = async (bj: BullJob): Promise<JobDone> => {
    const m = readMessage(bj.data);
    const held = o.store.verify(m.hash);
    if (held.status === 'hit') return { ...stamp, ms: 0, reused: true };
    if (held.status === 'corrupt') o.store.remove(m.hash); // torn (a write lost to a crash): made again
    const t0 = Date.now();
    // Said while the inputs are read; awaited before the job ends, so it always precedes the completion.
    const taken = bj.updateProgress({ ...stamp, done: 0, total: 1 }).catch(() => {});
    if (process.env.MIA_QUEUE_JOB_DELAY_MS) await taken;
    await heldForTests();
    progressOf.set(m.hash, throttled(bj, stamp));
    try {
      const ins = inputsOf(m, o.store);
      const out = await poolFor(m.backend).run({ ...jobOf(m), id: m.hash }, datasetsHere(m, o.store), ins);
      o.store.put(m.hash, m.id, out);
    } finally {
      progressOf.delete(m.hash);
      await taken;
    }
    const ms = Date.now() - t0;
    o.log(`✓ ${m.label} (${(ms / 1000).toFixed(1)}s)`);
    return { ...stamp, ms, reused: false };
  };
  const worker = new Worker(queueName(storeId(o.store.dir)), run, {
    connection: bullConnection(o.address, null),
    prefix: QUEUE_PREFIX,
    concurrency: o.jobs,
    lockDuration: o.lockMs,
    stalledInterval: o.lockMs,
    maxStalledCount: 2,
    name: stamp.worker,
  });
  const said = (e: Error): string => scrub(e.message, o.address.secret);
  worker.on('failed', (j, e) => o.log(`✗ ${j ? readLabel(j) : 'a job'}: ${said(e)}`));
  worker.on('error', (e) => o.log(`! ${said(e)}`));
  await worker.waitUntilReady();
  return {
    stamp,
    close: async (now = false) => {
      await worker.close(now);
      await Promise.all([...pools.values()].map((p) => p.close()));
    },
  };
}

/** One worker pool per backend the jobs ask for, each of `size` threads, kept while the worker lives. */
function poolsOf(size: number, progressOf: Map<string, Progress>) {
  const pools = new Map<string, WorkerPool>();
  const poolFor = (backend: string): WorkerPool => {
    let p = pools.get(backend);
    if (!p) {
      p = new WorkerPool({
        size,
        backend,
        onProgress: (id, done, total, note, train) => progressOf.get(id)?.(done, total, note, train),
      });
      pools.set(backend, p);
    }
    return p;
  };
  return { poolFor, pools };
}

/** The datasets as this machine reads them: parsed files are kept in the store's folder. */
const datasetsHere = (m: JobMessage, store: Cache) =>
  m.datasets.map((d) => (d.context ? { ...d, context: { ...d.context, cacheDir: store.dir } } : d));

/** The job's inputs from the store, each verified; a missing one fails the job (it is retried). */
function inputsOf(m: JobMessage, store: Cache): [string, JobOutput][] {
  return m.inputs.map(([name, hash]) => {
    const got = store.get<JobOutput>(hash);
    if (got.status === 'hit') return [name, got.value];
    const why = got.status === 'corrupt' ? `is corrupt (${got.reason})` : 'is not there';
    throw new Error(`The input ${name} of ${m.label} (${hash.slice(0, 12)}) ${why} in the store ${store.dir}.`);
  });
}

function readLabel(j: BullJob): string {
  const d = j.data as { label?: unknown } | null;
  return typeof d?.label === 'string' ? d.label : String(j.id);
}

/** Progress to the queue, at most every PROGRESS_MS, and always at an epoch's end. */
function throttled(bj: BullJob, stamp: WorkerStamp) {
  let last = 0;
  return (done: number, total: number, note?: string, train?: TrainTick): void => {
    const now = Date.now();
    const epochEnd = train !== undefined && train.batch === train.batches;
    if (now - last < PROGRESS_MS && !epochEnd) return;
    last = now;
    const data = { ...stamp, done, total, ...(note ? { note } : {}), ...(train ? { train } : {}) };
    bj.updateProgress(data).catch(() => {});
  };
}

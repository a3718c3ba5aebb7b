/**
 * The coordinator's side of the queue: mia's scheduler keeps the DAG and calls this runner for a job
 * once its inputs are in the store; the runner puts the job on the queue with its content hash as id
 * (so two coordinators asking for one job share it: BullMQ keeps one job per id) and resolves once a
 * worker has written its output to the store; an output the results read is read back and verified (the
 * others stay in the store, where the workers that need them read and verify them). A job whose output
 * is already in the store is never queued; one the queue calls completed from before, whose output has
 * since gone from the store (discarded as torn, or removed), runs again. Events from the queue (progress, which worker took it, completion) become the
 * run's events; a slow poll settles any job whose event was missed.
 */
import { Queue, QueueEvents } from 'bullmq';
import type { Job, Plan } from '../../plan/index.js';
import type { Cache, EventSink, JobOutput, Progress, RemoteRunner, TrainTick } from '../index.js';
import { bullConnection, probe } from './connect.js';
import { type JobDone, jobMessage, QUEUE_PREFIX, type WorkerStamp } from './message.js';
import { queueName, storeId } from './store-id.js';
import { type QueueAddress, scrub } from './url.js';

export interface CoordinatorOptions {
  address: QueueAddress;
  store: Cache;
  plan: Plan;
  emit: EventSink;
  /** Attempts per job before it fails (1 + retries). */
  attempts: number;
  /** How long the coordinator waits for a lost Redis to come back before failing what it waits for. */
  giveUpMs?: number;
}

interface Pending {
  job: Job;
  /** Whether the run reads its output (else it stays in the store). */
  wanted: boolean;
  resolve: (o: JobOutput | null) => void;
  reject: (e: Error) => void;
  progress: Progress;
  worker: string | null;
  lastNews: number;
}

/** What the run records of its workers (results.json's provenance.invocation.queue). */
export interface QueueRecord {
  url: string;
  workers: { worker: string; host: string; slots: number; jobs: number; ms: number }[];
  /** Job id → the worker that ran it (absent: the store already held its output). */
  ranBy: Record<string, string>;
}

const POLL_MS = 1000;
const QUIET_MS = 5000;
const NO_WORKER_MS = 15_000;

export class Coordinator {
  private readonly pending = new Map<string, Pending>();
  private readonly ranBy = new Map<string, string>();
  private readonly workers = new Map<string, { host: string; slots: number; jobs: number; ms: number }>();
  /** Jobs the queue called completed whose outputs were not in the store, put back on the queue once. */
  private readonly rerun = new Set<string>();
  /** Jobs to put on the queue at the end of this turn. */
  private batch: Job[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lostSince: number | null = null;
  private waitingSince: number | null = null;
  private seen = false;
  private warned = false;

  private constructor(
    private readonly o: CoordinatorOptions,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
  ) {
    events.on('progress', ({ jobId, data }) => this.onProgress(jobId, data));
    events.on('completed', ({ jobId, returnvalue }) => this.onCompleted(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => this.onFailed(jobId, failedReason));
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  /** Reaches Redis (one clear error otherwise) and listens to the queue's events before any job is added. */
  static async open(o: CoordinatorOptions): Promise<Coordinator> {
    await probe(o.address);
    const connection = bullConnection(o.address, o.giveUpMs ?? 30_000);
    const name = queueName(storeId(o.store.dir));
    const queue = new Queue(name, { connection, prefix: QUEUE_PREFIX });
    const events = new QueueEvents(name, { connection, prefix: QUEUE_PREFIX });
    queue.on('error', () => {});
    events.on('error', () => {});
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new Coordinator(o, queue, events);
  }

  /** The executor's runner: a job's output (or null when not wanted) from the store, once there or once a worker put it there. */
  readonly runner: RemoteRunner = (job, wanted, progress) => {
    const have = this.stored(job, wanted);
    if (have !== undefined) return Promise.resolve(have);
    return new Promise<JobOutput | null>((resolve, reject) => {
      this.pending.set(job.hash, { job, wanted, resolve, reject, progress, worker: null, lastNews: Date.now() });
      this.submit(job);
    });
  };

  /** A job's output in the store, read and verified when wanted, else null if it is there; undefined when not there. */
  private stored(job: Job, wanted: boolean): JobOutput | null | undefined {
    if (!wanted) return this.o.store.has(job.hash) ? null : undefined;
    const got = this.o.store.get<JobOutput>(job.hash);
    return got.status === 'hit' ? got.value : undefined;
  }

  /** Puts a job on the queue with the others the executor hands over in the same turn (jobs that became ready together). */
  private submit(job: Job): void {
    this.batch.push(job);
    if (this.batch.length === 1) queueMicrotask(() => void this.flush());
  }

  /** One round trip adds the batch (addBulk: a pipeline); their states are then asked together. */
  private async flush(): Promise<void> {
    const jobs = this.batch.splice(0);
    const t0 = Date.now();
    try {
      await this.queue.addBulk(
        jobs.map((job) => ({
          name: job.spec.kind,
          data: jobMessage(this.o.plan, job),
          opts: {
            jobId: job.hash,
            attempts: this.o.attempts,
            removeOnComplete: { age: 24 * 3600, count: 100_000 },
            removeOnFail: { age: 24 * 3600, count: 100_000 },
          },
        })),
      );
      await Promise.all(jobs.map((j) => this.check(j.hash, t0)));
    } catch (e) {
      for (const j of jobs) this.fail(j.hash, this.message(e));
    }
  }

  /** Settles a job from its state on the queue; a job that failed before this run asked for it runs again. */
  private async check(hash: string, addedAt?: number): Promise<void> {
    const p = this.pending.get(hash);
    if (!p) return;
    const state = await this.queue.getJobState(hash);
    if (state === 'completed') {
      const j = await this.queue.getJob(hash);
      if (!this.o.store.has(hash) && !this.rerun.has(hash)) {
        this.rerun.add(hash); // completed before, its output gone since: run again (another coordinator may have)
        await j?.retry('completed').catch(() => {});
      } else this.onCompleted(hash, j?.returnvalue);
    } else if (state === 'failed') {
      const j = await this.queue.getJob(hash);
      if (j && addedAt !== undefined && j.timestamp < addedAt) await j.retry('failed', { resetAttemptsMade: true });
      else this.onFailed(hash, j?.failedReason ?? 'it failed on the queue');
    } else if (state === 'unknown') {
      if (this.stored(p.job, p.wanted) !== undefined) this.onCompleted(hash, undefined);
      else this.submit(p.job); // removed from the queue (by an age limit or by hand): asked again
    }
  }

  private onProgress(hash: string, data: unknown): void {
    const p = this.pending.get(hash);
    if (!p || typeof data !== 'object' || data === null) return;
    p.lastNews = Date.now();
    const d = data as Partial<WorkerStamp> & { done?: number; total?: number; note?: string; train?: TrainTick };
    if (typeof d.worker === 'string' && d.worker !== p.worker) {
      p.worker = d.worker;
      this.seen = true;
      this.o.emit({
        type: 'jobWorker',
        id: p.job.id,
        label: p.job.label,
        worker: d.worker,
        host: String(d.host ?? ''),
        slots: Number(d.slots ?? 1),
        at: Date.now(),
      });
    }
    if (typeof d.done === 'number' && typeof d.total === 'number') p.progress(d.done, d.total, d.note, d.train);
  }

  private onCompleted(hash: string, value: unknown): void {
    const p = this.pending.get(hash);
    if (!p) return;
    const done = (typeof value === 'string' ? safeParse(value) : value) as Partial<JobDone> | undefined;
    const out = this.stored(p.job, p.wanted);
    if (out === undefined) {
      this.fail(
        hash,
        `The worker finished ${p.job.label}, but its output is not in the store ${this.o.store.dir} (does the worker write to the same folder?).`,
      );
      return;
    }
    if (done && typeof done.worker === 'string') this.record(p, done as JobDone);
    this.pending.delete(hash);
    p.resolve(out);
  }

  private record(p: Pending, d: JobDone): void {
    if (p.worker !== d.worker) this.onProgress(p.job.hash, { worker: d.worker, host: d.host, slots: d.slots });
    if (d.reused) return;
    this.ranBy.set(p.job.id, d.worker);
    const w = this.workers.get(d.worker) ?? { host: String(d.host), slots: Number(d.slots) || 1, jobs: 0, ms: 0 };
    w.jobs++;
    w.ms += Number(d.ms) || 0;
    this.workers.set(d.worker, w);
  }

  private onFailed(hash: string, reason: string): void {
    this.fail(hash, scrub(reason, this.o.address.secret));
  }

  private fail(hash: string, message: string): void {
    const p = this.pending.get(hash);
    if (!p) return;
    this.pending.delete(hash);
    p.reject(new Error(message));
  }

  private message(e: unknown): string {
    const m = scrub(e instanceof Error ? e.message : String(e), this.o.address.secret);
    return `The queue at ${this.o.address.shown} failed: ${m}`;
  }

  /** The safety net: jobs without news for a while are looked up; a Redis gone too long fails them. */
  private async poll(): Promise<void> {
    const now = Date.now();
    this.noWorkerYet(now);
    const quiet = [...this.pending.values()].filter((p) => now - p.lastNews > QUIET_MS).slice(0, 200);
    try {
      for (const p of quiet) {
        p.lastNews = now;
        await this.check(p.job.hash);
      }
      this.lostSince = null;
    } catch (e) {
      this.lostSince ??= now;
      if (now - this.lostSince > (this.o.giveUpMs ?? 30_000))
        for (const hash of [...this.pending.keys()]) this.fail(hash, this.message(e));
    }
  }

  /** Said once when jobs have waited a while and no worker has taken any: the run waits for workers. */
  private noWorkerYet(now: number): void {
    if (this.warned || this.seen || this.pending.size === 0) return;
    this.waitingSince ??= now;
    if (now - this.waitingSince < NO_WORKER_MS) return;
    this.warned = true;
    this.o.emit({
      type: 'warning',
      message: `No worker has taken a job from the queue at ${this.o.address.shown} for ${NO_WORKER_MS / 1000} s: start one with mia worker --queue URL --store ${this.o.store.dir} (the run waits for it; Ctrl-C stops it).`,
      at: now,
    });
  }

  /** Who ran what, for results.json. */
  queueRecord(): QueueRecord {
    return {
      url: this.o.address.shown,
      workers: [...this.workers].map(([worker, w]) => ({ worker, ...w })),
      ranBy: Object.fromEntries(this.ranBy),
    };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const hash of [...this.pending.keys()]) this.fail(hash, 'The run was stopped.');
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/**
 * A pool of worker threads, each with its own tfjs, kept for the whole run. Workers start when first needed.
 * Each dataset is loaded once, in this thread, into SharedArrayBuffers that every worker reads in place. From the
 * compiled dist/ the worker is dist/run/worker.js; under TypeScript sources (tests) it is worker.ts,
 * loaded through tsx's loader.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadDataset, type Dataset } from '../data/index.js';
import { datasetIdentity, type DatasetInfo, type Job } from '../plan/index.js';
import type { TrainTick } from './events.js';
import type { JobOutput } from './jobs.js';
import { pluginUrls } from './plugins.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

export interface PoolOptions {
  size: number;
  backend: string;
  onProgress?: (jobId: string, done: number, total: number, note?: string, train?: TrainTick) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: { jobId: string; resolve: (o: JobOutput) => void; reject: (e: Error) => void } | null;
  dead: boolean;
  /** Per dataset name, which description's data this worker holds (the last sent under that name). */
  has: Map<string, string>;
}

/** A copy of `ds` whose arrays live in SharedArrayBuffers, so workers read them in place. */
function sharedCopy(ds: Dataset): Dataset {
  const x = new Float32Array(new SharedArrayBuffer(ds.x.byteLength));
  x.set(ds.x);
  const y = new Int32Array(new SharedArrayBuffer(ds.y.byteLength));
  y.set(ds.y);
  return { ...ds, x, y };
}

/** Typed arrays at least this large in a job's output are moved into shared memory (see `sharedOutput`). */
const SHARE_BYTES = 1 << 16;

/**
 * The output with its large top-level typed arrays (a query's logits) copied once into SharedArrayBuffers: the
 * jobs that read it later (every attack reads the logits of every shadow model) then get them without a copy
 * per job in each worker, so memory no longer grows with the shadows times the attacks. No job writes to
 * its inputs.
 */
function sharedOutput(o: JobOutput): JobOutput {
  const out: Record<string, unknown> = { ...o };
  for (const [k, v] of Object.entries(o))
    if ((v instanceof Float32Array || v instanceof Float64Array) && v.byteLength >= SHARE_BYTES) {
      const copy = new (v.constructor as Float32ArrayConstructor)(new SharedArrayBuffer(v.byteLength));
      copy.set(v);
      out[k] = copy;
    }
  return out as JobOutput;
}

export class PoolClosed extends Error {}

/** The job's dataset as described (name, source, content key, folders): what its loaded data depends on. */
const datasetKey = (datasets: DatasetInfo[], job: Job): string | undefined => {
  const info = datasets.find((d) => d.name === job.spec.dataset);
  return info && datasetIdentity(info);
};

function workerUrl(): { url: URL; viaTsx: boolean } {
  const self = import.meta.url;
  if (self.endsWith('.ts')) return { url: new URL('./worker.ts', self), viaTsx: true };
  return { url: new URL('./worker.js', self), viaTsx: false };
}

function spawn(init: WorkerInit): Worker {
  const { url, viaTsx } = workerUrl();
  if (!viaTsx) return new Worker(url, { workerData: init });
  const require = createRequire(import.meta.url);
  const api = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: init });
}

export class WorkerPool {
  private slots: Slot[] = [];
  private idle: Slot[] = [];
  private waiters: { resolve: (s: Slot) => void; reject: (e: Error) => void }[] = [];
  private closed = false;
  private shared = new Map<string, Dataset>();

  constructor(private readonly opts: PoolOptions) {}

  /** Runs one job in a free worker; resolves with its output. */
  async run(job: Job, datasets: DatasetInfo[], inputs: [string, JobOutput][]): Promise<JobOutput> {
    const slot = await this.acquire();
    try {
      const ds = this.sharedDataset(job, datasets); // while the worker loads tfjs
      await slot.ready;
      if (this.closed) throw new PoolClosed('The run was stopped.');
      return await new Promise<JobOutput>((resolve, reject) => {
        slot.busy = { jobId: job.id, resolve, reject };
        const msg: ToWorker = { type: 'run', jobId: job.id, spec: job.spec, datasets, inputs };
        const key = ds && datasetKey(datasets, job);
        if (ds && key && slot.has.get(ds.name) !== key) {
          msg.shared = [ds];
          slot.has.set(ds.name, key);
        }
        slot.worker.postMessage(msg);
      });
    } finally {
      slot.busy = null;
      this.release(slot);
    }
  }

  /**
   * Starts every worker now and waits until each has loaded its backend (a long-lived `mia worker` does
   * this before it takes jobs, so no job waits for tfjs). A worker that cannot start is left to fail the
   * first job it is given, as a lazily started one would.
   */
  async warm(): Promise<void> {
    const fresh: Slot[] = [];
    while (!this.closed && this.slots.filter((s) => !s.dead).length < Math.max(1, this.opts.size))
      fresh.push(this.start());
    await Promise.all(fresh.map((s) => s.ready.catch(() => {})));
    for (const s of fresh) if (!s.dead && !this.closed) this.release(s);
  }

  /** The job's dataset, loaded once for the pool into shared memory; undefined where it cannot load here. */
  private sharedDataset(job: Job, datasets: DatasetInfo[]): Dataset | undefined {
    const info = datasets.find((d) => d.name === job.spec.dataset);
    if (!info) return undefined;
    const key = datasetKey(datasets, job)!;
    let ds = this.shared.get(key);
    if (!ds) {
      try {
        ds = sharedCopy({ ...loadDataset(info), name: info.name });
      } catch {
        return undefined; // the worker loads it itself and reports any error as the job's
      }
      this.shared.set(key, ds); // by description: a long-lived pool (mia worker) serves runs that reuse a name
    }
    return ds;
  }

  private acquire(): Promise<Slot> {
    if (this.closed) return Promise.reject(new PoolClosed('The run was stopped.'));
    const free = this.idle.pop();
    if (free) return Promise.resolve(free);
    if (this.slots.filter((s) => !s.dead).length < Math.max(1, this.opts.size)) return Promise.resolve(this.start());
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private release(slot: Slot): void {
    if (slot.dead || this.closed) return;
    const w = this.waiters.shift();
    if (w) w.resolve(slot);
    else this.idle.push(slot);
  }

  private start(): Slot {
    const worker = spawn({ backend: this.opts.backend, plugins: pluginUrls() });
    let readyResolve!: () => void, readyReject!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    ready.catch(() => {});
    const slot: Slot = { worker, ready, busy: null, dead: false, has: new Map() };
    const die = (err: Error): void => {
      if (slot.dead) return;
      slot.dead = true;
      readyReject(err);
      slot.busy?.reject(err);
      this.idle = this.idle.filter((s) => s !== slot);
      // a waiter gets a fresh worker in place of this one
      const w = this.waiters.shift();
      if (w && !this.closed) w.resolve(this.start());
    };
    worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'ready':
          readyResolve();
          break;
        case 'initFailed':
          die(new Error(`A worker could not start its backend: ${m.error}`));
          void worker.terminate();
          break;
        case 'progress':
          this.opts.onProgress?.(m.jobId, m.done, m.total, m.note, m.train);
          break;
        case 'done':
          slot.busy?.resolve(sharedOutput(m.output));
          break;
        case 'failed':
          slot.busy?.reject(new Error(m.error));
          break;
      }
    });
    worker.on('error', (e) => die(new Error(`A worker crashed: ${e.message}`)));
    worker.on('exit', (code) =>
      die(new Error(this.closed ? 'The run was stopped.' : `A worker exited unexpectedly (code ${code}).`)),
    );
    this.slots.push(slot);
    return slot;
  }

  /** Ends every worker (running jobs are abandoned). */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.reject(new PoolClosed('The run was stopped.'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
    this.idle = [];
  }
}

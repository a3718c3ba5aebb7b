/** Messages between the executor and its worker threads. Outputs travel as plain data (buffers transferred). */
import type { Dataset } from '../data/index.js';
import type { DatasetInfo, JobSpec } from '../plan/index.js';
import type { TrainTick } from './events.js';
import type { JobOutput } from './jobs.js';

export interface WorkerInit {
  backend: string;
  /** Plugin module URLs, imported before any job runs (src/run/plugins.ts). */
  plugins?: readonly string[];
}

export type ToWorker = {
  type: 'run';
  jobId: string;
  spec: JobSpec;
  datasets: DatasetInfo[];
  inputs: [string, JobOutput][];
  /** Datasets loaded once by the pool, their arrays over SharedArrayBuffers (shared with the worker, not copied). */
  shared?: Dataset[];
};

export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'initFailed'; error: string }
  | { type: 'progress'; jobId: string; done: number; total: number; note?: string; train?: TrainTick }
  | { type: 'done'; jobId: string; output: JobOutput }
  | { type: 'failed'; jobId: string; error: string };

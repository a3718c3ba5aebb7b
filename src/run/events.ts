/**
 * Typed run events: the executor emits them; reporters (plain, JSON lines, Ink) are views of the state
 * that src/ui/run-state.ts folds them into (with the CLI's last event, `resultsWritten`, defined there).
 * With `mia run --json` each is one JSON line (README, "--json").
 */

/** Where a training job is: epoch and batch (1-based, the last one finished), running loss, speed. */
export interface TrainTick {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Mean loss of the epoch so far (absent until a batch has been read). */
  loss?: number;
  recordsPerSec?: number;
}

export type RunEvent =
  | { type: 'runStarted'; experiment: string; backend: string; jobs: number; workers?: number; at: number }
  /** `kind`: the job's kind (train, query, augment_query, attack, evaluate). */
  | { type: 'jobQueued'; id: string; label: string; kind?: string; at: number }
  | { type: 'jobStarted'; id: string; label: string; at: number }
  /**
   * Steps of a job: for training, done/total in epochs (fractional within an epoch) with `train`,
   * sent at most ~10 times a second per worker and at the end of each epoch.
   */
  | { type: 'progress'; id: string; done: number; total: number; note?: string; train?: TrainTick; at: number }
  | { type: 'jobFinished'; id: string; label: string; ms: number; summary?: string; at: number }
  | { type: 'cacheHit'; id: string; label: string; at: number }
  /** A cache entry failed verification: it was discarded and the job runs again. */
  | { type: 'cacheCorrupt'; id: string; label: string; reason: string; at: number }
  /** Not run: every job that needs its output found that output in the cache. */
  | { type: 'jobSkipped'; id: string; label: string; reason: string; at: number }
  | { type: 'jobFailed'; id: string; label: string; error: string; at: number }
  /** With a queue (`mia run --queue`): the worker (host:pid, on `host`, running `slots` jobs at once) that took the job. */
  | { type: 'jobWorker'; id: string; label: string; worker: string; host: string; slots: number; at: number }
  | { type: 'jobCancelled'; id: string; label: string; because: string; at: number }
  | { type: 'warning'; message: string; at: number }
  | {
      type: 'runFinished';
      ok: boolean;
      ms: number;
      computed?: number;
      cached?: number;
      failed?: number;
      cancelled?: number;
      interrupted?: boolean;
      at: number;
    };

export type EventSink = (e: RunEvent) => void;

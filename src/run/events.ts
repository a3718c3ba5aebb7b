/**
 * Typed run events: the executor emits them; reporters (plain, JSON lines, Ink) are views of the state
 * that src/ui/run-state.ts folds them into (with the CLI's last event, `resultsWritten`, defined there).
 * With `mia run --json` each is one JSON line (README, "--json"). Defined once with zod: the types below
 * are inferred from it, and `npm run build` publishes it as dist/schemas/events.schema.json.
 */
import { z } from 'zod';

const number = z.number();
const string = z.string();

/** Where a training job is: epoch and batch (1-based, the last one finished), running loss, speed. */
export const TRAIN_TICK = z.object({
  epoch: number,
  epochs: number,
  batch: number,
  batches: number,
  /** Mean loss of the epoch so far (absent until a batch has been read). */
  loss: number.optional(),
  recordsPerSec: number.optional(),
});
export type TrainTick = z.infer<typeof TRAIN_TICK>;

const job = { id: string, label: string, at: number };

/** Each event of a run, by `type`; `at` is a time in ms since the epoch. */
export const RUN_EVENTS = [
  z.object({
    type: z.literal('runStarted'),
    experiment: string,
    backend: string,
    jobs: number,
    workers: number.optional(),
    at: number,
  }),
  /** `kind`: the job's kind (train, query, augment_query, attack, evaluate). */
  z.object({ type: z.literal('jobQueued'), ...job, kind: string.optional() }),
  z.object({ type: z.literal('jobStarted'), ...job }),
  /**
   * Steps of a job: for training, done/total in epochs (fractional within an epoch) with `train`,
   * sent at most ~10 times a second per worker and at the end of each epoch.
   */
  z.object({
    type: z.literal('progress'),
    id: string,
    done: number,
    total: number,
    note: string.optional(),
    train: TRAIN_TICK.optional(),
    at: number,
  }),
  z.object({ type: z.literal('jobFinished'), ...job, ms: number, summary: string.optional() }),
  z.object({ type: z.literal('cacheHit'), ...job }),
  /** A cache entry failed verification: it was discarded and the job runs again. */
  z.object({ type: z.literal('cacheCorrupt'), ...job, reason: string }),
  /** Not run: every job that needs its output found that output in the cache. */
  z.object({ type: z.literal('jobSkipped'), ...job, reason: string }),
  z.object({ type: z.literal('jobFailed'), ...job, error: string }),
  /** With a queue (`mia run --queue`): the worker (host:pid, on `host`, running `slots` jobs at once) that took the job. */
  z.object({ type: z.literal('jobWorker'), ...job, worker: string, host: string, slots: number }),
  z.object({ type: z.literal('jobCancelled'), ...job, because: string }),
  z.object({ type: z.literal('warning'), message: string, at: number }),
  z.object({
    type: z.literal('runFinished'),
    ok: z.boolean(),
    ms: number,
    computed: number.optional(),
    cached: number.optional(),
    failed: number.optional(),
    cancelled: number.optional(),
    interrupted: z.boolean().optional(),
    at: number,
  }),
] as const;
export const RUN_EVENT = z.discriminatedUnion('type', RUN_EVENTS);
export type RunEvent = z.infer<typeof RUN_EVENT>;

export type EventSink = (e: RunEvent) => void;

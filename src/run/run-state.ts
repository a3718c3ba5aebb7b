/**
 * The run state: a pure fold of the executor's events. Every reporter (Ink, plain lines, quiet) is a
 * view of this state; none keeps its own counters. `reduce` never mutates its input, so a view can
 * compare the state before and after an event. The run's summary (`S`, report/'s RunSummary) is carried
 * through as it came: the reducer never reads it, so run/ needs nothing of report/ (src/ui/run-state.ts
 * names the state with it).
 */
import type { RunEvent, TrainTick } from './events.js';

/** The last event of a complete run, sent by the CLI once results.json is written: where its files went, and the metrics (no per-record samples). */
export type ResultsWritten<S = unknown> = {
  type: 'resultsWritten';
  results: string;
  report: string | null;
  summary: S[];
  at: number;
};

/** What a reporter receives: the executor's events, then the CLI's `resultsWritten`. */
export type ReporterEvent<S = unknown> = RunEvent | ResultsWritten<S>;

export type JobStatus = 'queued' | 'running' | 'finished' | 'cached' | 'failed' | 'cancelled' | 'skipped';
export const JOB_STATUSES: readonly JobStatus[] = [
  'queued',
  'running',
  'finished',
  'cached',
  'failed',
  'cancelled',
  'skipped',
];

export interface JobState {
  id: string;
  label: string;
  kind: string;
  status: JobStatus;
  startedAt?: number;
  ms?: number;
  /** Progress: done of total steps (epochs for training, fractional within one). */
  done?: number;
  total?: number;
  note?: string;
  train?: TrainTick;
  error?: string;
  because?: string;
  /** With a queue: the worker that took it (host:pid). */
  worker?: string;
}

/** A queue worker as the run saw it: where it runs, how many jobs at once, the jobs it finished and when. */
export interface QueueWorkerState {
  host: string;
  slots: number;
  jobs: number;
  firstAt: number;
  lastAt: number;
}

export interface RunState<S = unknown> {
  experiment: string | null;
  backend: string | null;
  workers: number;
  startedAt: number | null;
  /** The plan's job count, from the first event (before the jobs are listed). */
  planned: number;
  /** The time of the latest event (views compute elapsed time and ETA from it, never from a clock). */
  now: number;
  /** Job ids in the plan's order. */
  order: readonly string[];
  jobs: Readonly<Record<string, JobState>>;
  counts: Readonly<Record<JobStatus, number>>;
  /** Jobs that settled (finished, cached, failed, cancelled or skipped), in the order they did. */
  settled: readonly string[];
  warnings: readonly string[];
  /** Queue workers by name (host:pid), in the order they were first seen (empty without a queue). */
  queueWorkers: Readonly<Record<string, QueueWorkerState>>;
  finished: Extract<RunEvent, { type: 'runFinished' }> | null;
  results: { results: string; report: string | null; summary: S[] } | null;
}

const zero = (): Record<JobStatus, number> =>
  Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;

export const initialState = <S = unknown>(): RunState<S> => ({
  experiment: null,
  backend: null,
  workers: 0,
  startedAt: null,
  planned: 0,
  now: 0,
  order: [],
  jobs: {},
  counts: zero(),
  settled: [],
  warnings: [],
  queueWorkers: {},
  finished: null,
  results: null,
});

/** The job's kind from its id ("train/shadow/refs/3" → train) when the event does not say it. */
const kindOfId = (id: string): string => id.split('/')[0] ?? id;

/** The moves of a job's lifecycle: queued → running → finished | failed, or queued → cached | skipped | cancelled. */
const MOVES: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['running', 'cached', 'skipped', 'cancelled'],
  running: ['finished', 'failed'],
  finished: [],
  cached: [],
  failed: [],
  cancelled: [],
  skipped: [],
};
const allowed = (from: JobStatus, to: JobStatus): boolean => MOVES[from].includes(to);

/** How much of a run's time a job of each kind takes, roughly (training dominates); others 0.05. */
const WEIGHT: Readonly<Record<string, number>> = { train: 1 };

function move<S>(s: RunState<S>, id: string, to: JobStatus, patch: Partial<JobState>, at: number): RunState<S> {
  const job = s.jobs[id];
  if (!job || !allowed(job.status, to)) return { ...s, now: Math.max(s.now, at) };
  const counts = { ...s.counts, [job.status]: s.counts[job.status] - 1, [to]: s.counts[to] + 1 };
  const settled = to === 'running' ? s.settled : [...s.settled, id];
  return {
    ...s,
    now: Math.max(s.now, at),
    counts,
    settled,
    jobs: { ...s.jobs, [id]: { ...job, ...patch, status: to } },
  };
}

export function reduce<S>(s: RunState<S>, e: ReporterEvent<S>): RunState<S> {
  const at = Math.max(s.now, e.at);
  switch (e.type) {
    case 'runStarted':
      return started(s, e, at);
    case 'jobQueued': {
      if (s.jobs[e.id]) return s;
      const job: JobState = { id: e.id, label: e.label, kind: e.kind ?? kindOfId(e.id), status: 'queued' };
      return {
        ...s,
        now: at,
        order: [...s.order, e.id],
        jobs: { ...s.jobs, [e.id]: job },
        counts: { ...s.counts, queued: s.counts.queued + 1 },
      };
    }
    case 'jobStarted':
      return move(s, e.id, 'running', { startedAt: e.at }, e.at);
    case 'progress': {
      const job = s.jobs[e.id];
      if (job?.status !== 'running') return { ...s, now: at };
      const next: JobState = {
        ...job,
        done: e.done,
        total: e.total,
        ...(e.note !== undefined ? { note: e.note } : {}),
        ...(e.train ? { train: e.train } : {}),
      };
      return { ...s, now: at, jobs: { ...s.jobs, [e.id]: next } };
    }
    case 'jobFinished':
      return countForWorker(
        move(s, e.id, 'finished', { ms: e.ms, ...(e.summary ? { note: e.summary } : {}) }, e.at),
        e.id,
        e.at,
      );
    case 'jobWorker':
      return tookJob(s, e, at);
    case 'cacheHit':
      return move(s, e.id, 'cached', {}, e.at);
    case 'jobSkipped':
      return move(s, e.id, 'skipped', { because: e.reason }, e.at);
    case 'jobFailed':
      return move(s, e.id, 'failed', { error: e.error }, e.at);
    case 'jobCancelled':
      return move(s, e.id, 'cancelled', { because: e.because }, e.at);
    case 'cacheCorrupt':
      return {
        ...s,
        now: at,
        warnings: [...s.warnings, `the cached ${e.label} was corrupt (${e.reason}); it runs again`],
      };
    case 'warning':
      return { ...s, now: at, warnings: [...s.warnings, e.message] };
    case 'runFinished':
      return { ...s, now: at, finished: e };
    case 'resultsWritten':
      return { ...s, now: at, results: { results: e.results, report: e.report, summary: e.summary } };
  }
}

/** The first event: the run's name, backend, workers and the plan's job count (before any job is listed). */
const started = <S>(s: RunState<S>, e: Extract<RunEvent, { type: 'runStarted' }>, at: number): RunState<S> => ({
  ...s,
  experiment: e.experiment,
  backend: e.backend,
  workers: e.workers ?? 1,
  planned: e.jobs,
  startedAt: e.at,
  now: at,
});

/** A queue worker took a job: the job says which, the worker is known from now on. */
function tookJob<S>(s: RunState<S>, e: Extract<RunEvent, { type: 'jobWorker' }>, at: number): RunState<S> {
  const job = s.jobs[e.id];
  const known = s.queueWorkers[e.worker];
  const w: QueueWorkerState = known ?? { host: e.host, slots: e.slots, jobs: 0, firstAt: e.at, lastAt: e.at };
  return {
    ...s,
    now: at,
    jobs: job ? { ...s.jobs, [e.id]: { ...job, worker: e.worker } } : s.jobs,
    queueWorkers: { ...s.queueWorkers, [e.worker]: { ...w, lastAt: Math.max(w.lastAt, e.at) } },
  };
}

/** A finished job counts for the queue worker that ran it. */
function countForWorker<S>(s: RunState<S>, id: string, at: number): RunState<S> {
  const name = s.jobs[id]?.worker;
  const w = name === undefined ? undefined : s.queueWorkers[name];
  if (name === undefined || !w) return s;
  return {
    ...s,
    queueWorkers: { ...s.queueWorkers, [name]: { ...w, jobs: w.jobs + 1, lastAt: Math.max(w.lastAt, at) } },
  };
}

/** Each queue worker: jobs running on it now, jobs finished, and its throughput in jobs a minute since first seen. */
export function workerRows(
  s: RunState,
): { worker: string; host: string; slots: number; running: number; jobs: number; perMinute: number | null }[] {
  return Object.entries(s.queueWorkers).map(([worker, w]) => {
    let running = 0;
    for (const id of s.order) if (s.jobs[id]!.status === 'running' && s.jobs[id]!.worker === worker) running++;
    const minutes = (s.now - w.firstAt) / 60_000;
    return {
      worker,
      host: w.host,
      slots: w.slots,
      running,
      jobs: w.jobs,
      perMinute: minutes > 0 ? w.jobs / minutes : null,
    };
  });
}

/** The fraction of a job done (0 queued, 1 settled; a running job's progress). */
export const jobFraction = (j: JobState): number =>
  j.status === 'queued' ? 0 : j.status === 'running' ? (j.total ? Math.min(1, (j.done ?? 0) / j.total) : 0) : 1;

/**
 * Jobs this run computes (not from the cache, not skipped), how far they are (0..1, weighted by kind so
 * training counts most), an ETA in ms (from the elapsed time and that fraction) and the training speed.
 */
export function overall(s: RunState): { total: number; fraction: number; etaMs: number | null; recordsPerSec: number } {
  let total = 0;
  let work = 0;
  let done = 0;
  let recordsPerSec = 0;
  for (const id of s.order) {
    const j = s.jobs[id]!;
    if (j.status === 'cached' || j.status === 'skipped') continue;
    const w = WEIGHT[j.kind] ?? 0.05;
    total++;
    work += w;
    done += w * jobFraction(j);
    if (j.status === 'running') recordsPerSec += j.train?.recordsPerSec ?? 0;
  }
  const fraction = work === 0 ? 1 : done / work;
  const elapsed = s.startedAt === null ? 0 : s.now - s.startedAt;
  const etaMs = fraction > 0.02 && fraction < 1 && elapsed > 0 ? (elapsed / fraction) * (1 - fraction) : null;
  return { total, fraction, etaMs, recordsPerSec };
}

/** The state after a sequence of events. */
export const reduceAll = <S>(events: Iterable<ReporterEvent<S>>, s: RunState<S> = initialState<S>()): RunState<S> => {
  let state = s;
  for (const e of events) state = reduce(state, e);
  return state;
};

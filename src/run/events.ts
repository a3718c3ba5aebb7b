/** Typed run events: the executor emits them; reporters (plain, JSON lines, Ink) consume them. */
export type RunEvent =
  | { type: 'runStarted'; experiment: string; backend: string; jobs: number; workers?: number; at: number }
  | { type: 'jobQueued'; id: string; label: string; at: number }
  | { type: 'jobStarted'; id: string; label: string; at: number }
  /** Per epoch of a training job (done/total epochs), or other steps of a job. */
  | { type: 'progress'; id: string; done: number; total: number; note?: string; at: number }
  | { type: 'jobFinished'; id: string; label: string; ms: number; summary?: string; at: number }
  | { type: 'cacheHit'; id: string; label: string; at: number }
  /** A cache entry failed verification: it was discarded and the job runs again. */
  | { type: 'cacheCorrupt'; id: string; label: string; reason: string; at: number }
  /** Not run: every job that needs its output found that output in the cache. */
  | { type: 'jobSkipped'; id: string; label: string; reason: string; at: number }
  | { type: 'jobFailed'; id: string; label: string; error: string; at: number }
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

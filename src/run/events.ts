/** Typed run events: the executor emits them; reporters (plain, JSON lines, Ink) consume them. */
export type RunEvent =
  | { type: 'runStarted'; experiment: string; backend: string; jobs: number; at: number }
  | { type: 'jobQueued'; id: string; label: string; at: number }
  | { type: 'jobStarted'; id: string; label: string; at: number }
  | { type: 'progress'; id: string; done: number; total: number; note?: string; at: number }
  | { type: 'jobFinished'; id: string; label: string; ms: number; summary?: string; at: number }
  | { type: 'cacheHit'; id: string; label: string; at: number }
  | { type: 'jobFailed'; id: string; label: string; error: string; at: number }
  | { type: 'jobCancelled'; id: string; label: string; because: string; at: number }
  | { type: 'runFinished'; ok: boolean; ms: number; at: number };

export type EventSink = (e: RunEvent) => void;

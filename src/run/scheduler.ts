/**
 * The scheduling logic, apart from any worker: given jobs with dependencies and a function that runs
 * one, it starts each job once all its inputs have finished, at most `concurrency` at a time, runs
 * every job exactly once, and when a job fails cancels exactly the jobs that depend on it (directly
 * or not). Dependencies outside the given set count as satisfied. Among ready jobs, the one with the
 * longest chain of dependents goes first (ties: the given order), so long chains start early.
 */

export interface SchedJob {
  id: string;
  deps: readonly string[];
}

export interface ScheduleHooks {
  /** Called when a job is cancelled because `because` (a failed or cancelled dependency) did not finish. */
  onCancel?: (id: string, because: string) => void;
  /** When aborted, no new job starts; the run settles once the running ones do. */
  signal?: AbortSignal;
}

export interface ScheduleResult {
  finished: string[]; // in completion order
  failed: Map<string, unknown>; // job id → what it threw
  cancelled: Map<string, string>; // job id → the failed job it depended on
  notStarted: string[]; // left when aborted
  aborted: boolean;
}

export function schedule(
  jobs: readonly SchedJob[],
  concurrency: number,
  run: (id: string) => Promise<void>,
  hooks: ScheduleHooks = {},
): Promise<ScheduleResult> {
  const ids = new Set(jobs.map((j) => j.id));
  if (ids.size !== jobs.length) throw new Error('schedule: duplicate job ids.');
  const order = new Map(jobs.map((j, i) => [j.id, i]));
  const deps = new Map(jobs.map((j) => [j.id, j.deps.filter((d) => ids.has(d))]));
  const dependents = new Map<string, string[]>(jobs.map((j) => [j.id, []]));
  for (const j of jobs) for (const d of deps.get(j.id)!) dependents.get(d)!.push(j.id);
  const height = chainHeights(jobs, dependents);
  const waiting = new Map(jobs.map((j) => [j.id, deps.get(j.id)!.length]));
  const ready: string[] = jobs.filter((j) => waiting.get(j.id) === 0).map((j) => j.id);
  const result: ScheduleResult = {
    finished: [],
    failed: new Map(),
    cancelled: new Map(),
    notStarted: [],
    aborted: false,
  };
  const settled = new Set<string>();
  let running = 0;
  const slots = Math.max(1, Math.floor(concurrency));

  return new Promise((resolve) => {
    const pick = (): string | undefined => {
      if (ready.length === 0) return undefined;
      let best = 0;
      for (let i = 1; i < ready.length; i++) {
        const a = ready[i]!,
          b = ready[best]!;
        if (height.get(a)! > height.get(b)! || (height.get(a) === height.get(b) && order.get(a)! < order.get(b)!))
          best = i;
      }
      return ready.splice(best, 1)[0];
    };
    const cancelFrom = (id: string, because: string): void => {
      for (const d of dependents.get(id)!) {
        if (settled.has(d)) continue;
        settled.add(d);
        result.cancelled.set(d, because);
        hooks.onCancel?.(d, because);
        cancelFrom(d, because);
      }
    };
    const finishIfDone = (): void => {
      if (running > 0) return;
      if (hooks.signal?.aborted) {
        result.aborted = true;
        result.notStarted = jobs.map((j) => j.id).filter((id) => !settled.has(id));
        resolve(result);
        return;
      }
      if (ready.length === 0) resolve(result);
    };
    const pump = (): void => {
      while (running < slots && !hooks.signal?.aborted) {
        const id = pick();
        if (id === undefined) break;
        running++;
        let p: Promise<void>;
        try {
          p = run(id);
        } catch (e) {
          p = Promise.reject(e);
        }
        p.then(
          () => {
            settled.add(id);
            result.finished.push(id);
            for (const d of dependents.get(id)!) {
              const left = waiting.get(d)! - 1;
              waiting.set(d, left);
              if (left === 0 && !settled.has(d)) ready.push(d);
            }
          },
          (e: unknown) => {
            settled.add(id);
            result.failed.set(id, e);
            cancelFrom(id, id);
          },
        ).finally(() => {
          running--;
          pump();
          finishIfDone();
        });
      }
    };
    pump();
    finishIfDone();
  });
}

/** The length of the longest chain of dependents below each job (a sink has 1). */
function chainHeights(jobs: readonly SchedJob[], dependents: Map<string, string[]>): Map<string, number> {
  const h = new Map<string, number>();
  const visit = (id: string): number => {
    const known = h.get(id);
    if (known !== undefined) return known;
    h.set(id, 1); // guards against cycles (a plan has none)
    let best = 0;
    for (const d of dependents.get(id)!) best = Math.max(best, visit(d));
    h.set(id, best + 1);
    return best + 1;
  };
  for (const j of jobs) visit(j.id);
  return h;
}

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
  const graph = jobGraph(jobs);
  return new Promise((resolve) => {
    const s = new Scheduling(graph, Math.max(1, Math.floor(concurrency)), run, hooks, resolve);
    s.pump();
    s.finishIfDone();
  });
}

/** The jobs' dependency structure, with the order ready jobs start in. */
interface JobGraph {
  ids: readonly string[];
  order: Map<string, number>;
  dependents: Map<string, string[]>;
  height: Map<string, number>;
  /** Per job, how many of its dependencies (within the set) are yet to finish. */
  waiting: Map<string, number>;
}

function jobGraph(jobs: readonly SchedJob[]): JobGraph {
  const ids = new Set(jobs.map((j) => j.id));
  if (ids.size !== jobs.length) throw new Error('schedule: duplicate job ids.');
  const deps = new Map(jobs.map((j) => [j.id, j.deps.filter((d) => ids.has(d))]));
  const dependents = new Map<string, string[]>(jobs.map((j) => [j.id, []]));
  for (const j of jobs) for (const d of deps.get(j.id)!) dependents.get(d)!.push(j.id);
  return {
    ids: jobs.map((j) => j.id),
    order: new Map(jobs.map((j, i) => [j.id, i])),
    dependents,
    height: chainHeights(jobs, dependents),
    waiting: new Map(jobs.map((j) => [j.id, deps.get(j.id)!.length])),
  };
}

/** One scheduling run: dispatches ready jobs into free slots and settles each as it ends. */
class Scheduling {
  private readonly ready: string[];
  private readonly settled = new Set<string>();
  private running = 0;
  private readonly result: ScheduleResult = {
    finished: [],
    failed: new Map(),
    cancelled: new Map(),
    notStarted: [],
    aborted: false,
  };

  constructor(
    private readonly g: JobGraph,
    private readonly slots: number,
    private readonly run: (id: string) => Promise<void>,
    private readonly hooks: ScheduleHooks,
    private readonly resolve: (r: ScheduleResult) => void,
  ) {
    this.ready = g.ids.filter((id) => g.waiting.get(id) === 0);
  }

  /** Starts ready jobs while slots are free and the run is not aborted. */
  pump(): void {
    while (this.running < this.slots && !this.hooks.signal?.aborted) {
      const id = this.pick();
      if (id === undefined) break;
      this.start(id);
    }
  }

  finishIfDone(): void {
    if (this.running > 0) return;
    if (this.hooks.signal?.aborted) {
      this.result.aborted = true;
      this.result.notStarted = this.g.ids.filter((id) => !this.settled.has(id));
      this.resolve(this.result);
      return;
    }
    if (this.ready.length === 0) this.resolve(this.result);
  }

  /** The ready job with the longest chain of dependents (ties: the given order). */
  private pick(): string | undefined {
    if (this.ready.length === 0) return undefined;
    const { height, order } = this.g;
    let best = 0;
    for (let i = 1; i < this.ready.length; i++) {
      const a = this.ready[i]!,
        b = this.ready[best]!;
      if (height.get(a)! > height.get(b)! || (height.get(a) === height.get(b) && order.get(a)! < order.get(b)!))
        best = i;
    }
    return this.ready.splice(best, 1)[0];
  }

  private start(id: string): void {
    this.running++;
    let p: Promise<void>;
    try {
      p = this.run(id);
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      () => this.finished(id),
      (e: unknown) => this.failedWith(id, e),
    ).finally(() => {
      this.running--;
      this.pump();
      this.finishIfDone();
    });
  }

  private finished(id: string): void {
    this.settled.add(id);
    this.result.finished.push(id);
    for (const d of this.g.dependents.get(id)!) {
      const left = this.g.waiting.get(d)! - 1;
      this.g.waiting.set(d, left);
      if (left === 0 && !this.settled.has(d)) this.ready.push(d);
    }
  }

  private failedWith(id: string, e: unknown): void {
    this.settled.add(id);
    this.result.failed.set(id, e);
    this.cancelFrom(id, id);
  }

  private cancelFrom(id: string, because: string): void {
    for (const d of this.g.dependents.get(id)!) {
      if (this.settled.has(d)) continue;
      this.settled.add(d);
      this.result.cancelled.set(d, because);
      this.hooks.onCancel?.(d, because);
      this.cancelFrom(d, because);
    }
  }
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

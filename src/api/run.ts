/**
 * run: a spec checked, planned and executed in worker threads (with the cache), its results.json built. Progress
 * comes as the executor's typed events (src/run/events.ts), through `onEvent` or by iterating the run; an
 * AbortSignal stops it (workers ended, nothing half-written: cache entries are whole, results are written
 * only after a complete run).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TypedProgram } from '../check/index.js';
import type { BackendChoice } from '../ml/backend-choice.js';
import { backendOrExplain, planSpec, requireWritableFolder, UsageError, UserError } from '../pipeline/index.js';
import type { Plan } from '../plan/index.js';
import {
  buildResults,
  evaluateExpectations,
  reportHtml,
  resultsToJson,
  withVerdicts,
  type ResultsJson,
} from '../report/index.js';
import { Cache, execute, type ExecuteResult, type RunEvent } from '../run/index.js';
import { writeFileAtomicAsync } from '../util/atomic.js';
import { asMiaError, MiaError } from './errors.js';
import { provenanceOf } from './provenance.js';
import { runDatasets } from './run-datasets.js';
import { sliceColumnValues } from './slice-columns.js';
import { cacheFolder, gate, specError, type SpecInput } from './spec.js';

export interface RunOptions {
  /** A folder to write results.json and report.html into (created); default: nothing written. */
  out?: string;
  backend?: BackendChoice;
  /** Worker threads (default: the number of cores). */
  jobs?: number;
  /** The cache folder; null: none. Default: `.mia/cache` beside a spec file, none for a text. */
  cache?: string | null;
  /** Stops the run: it rejects with a MiaError of kind `aborted`. */
  signal?: AbortSignal;
  /** Each event as it happens. */
  onEvent?: (e: RunEvent) => void;
}

export interface RunOutcome {
  results: ResultsJson;
  /** Where results.json and report.html were written (with `out`). */
  resultsPath: string | null;
  reportPath: string | null;
  /** Whether every expectation of the spec holds (true without expectations). */
  expectationsHold: boolean;
}

/** mia's version, from its package.json. */
export function miaVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
    return typeof pkg?.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** results.json of a complete execution: every run's metrics and the expectations' verdicts (no provenance). */
export function resultsOfRun(plan: Plan, program: TypedProgram, result: ExecuteResult, version: string): ResultsJson {
  const data = runDatasets(plan); // each sweep point's target dataset (a swept one has several), read once
  const columns = plan.slices ? sliceColumnValues(plan) : undefined;
  const built = buildResults(plan, result.outputs, data.labels, version, data.features, columns);
  return withVerdicts(built, evaluateExpectations(program.report.expectations ?? [], program, built));
}

/** The error of a run that did not complete: stopped, or jobs failed. */
function unfinished(r: ExecuteResult): MiaError | null {
  if (r.interrupted) return new MiaError('aborted', 'The run was stopped; what finished is in the cache.');
  if (r.failed.size === 0 && r.cancelled.size === 0) return null;
  const failures = [
    ...[...r.failed].map(([job, error]) => ({ job, error })),
    ...[...r.cancelled].map(([job, because]) => ({ job, error: `not run (needs ${because})` })),
  ];
  return new MiaError(
    'jobs',
    `${r.failed.size} job${r.failed.size === 1 ? '' : 's'} failed: ${failures[0]!.job}: ${failures[0]!.error}`,
    [],
    failures,
  );
}

async function runToEnd(spec: SpecInput, o: RunOptions, emit: (e: RunEvent) => void): Promise<RunOutcome> {
  const { loaded, program } = gate(spec);
  const cacheDir = cacheFolder(spec, o.cache);
  const out = o.out === undefined ? null : resolve(o.out);
  try {
    if (out) requireWritableFolder(out, { what: 'The output folder', option: 'out' });
    if (cacheDir) requireWritableFolder(cacheDir, { what: 'The cache folder', option: 'cache' });
  } catch (e) {
    throw asMiaError(e, 'input', [UsageError, UserError]);
  }
  const backend = await backendOrExplain(o.backend ?? 'auto').catch((e: unknown) => {
    throw asMiaError(e, 'input', [UsageError, UserError]);
  });
  const planned = planSpec(loaded, backend, cacheDir);
  if (!planned.value) throw specError(loaded, planned.diagnostics);
  if (o.signal?.aborted) throw new MiaError('aborted', 'The run was stopped before it started.');
  const cache = cacheDir === null ? null : new Cache(cacheDir);
  const result = await execute(planned.value, { onEvent: emit, jobs: o.jobs, cache, signal: o.signal });
  const error = unfinished(result);
  if (error) throw error;
  const built = resultsOfRun(planned.value, program, result, miaVersion());
  const results = out ? { ...built, provenance: provenanceOf(loaded, program, out, ['api']) } : built;
  const expectationsHold = (results.expectations ?? []).every((x) => x.holds);
  if (!out) return { results, resultsPath: null, reportPath: null, expectationsHold };
  const resultsPath = join(out, 'results.json');
  const reportPath = join(out, 'report.html');
  await writeFileAtomicAsync(resultsPath, resultsToJson(results));
  await writeFileAtomicAsync(reportPath, await reportHtml(results, program.report.plots));
  return { results, resultsPath, reportPath, expectationsHold };
}

/**
 * A run in progress: `await` it for its outcome, or iterate it (`for await (const e of run(spec))`) for its
 * events; the iteration ends when the run does, and throws its error. Events reach the iterators made in the
 * same tick as the run (the run starts on the next one) and `onEvent`.
 */
export class MiaRun implements PromiseLike<RunOutcome>, AsyncIterable<RunEvent> {
  readonly done: Promise<RunOutcome>;
  private readonly queues: { events: RunEvent[]; wake: (() => void) | null }[] = [];
  private finished = false;

  constructor(spec: SpecInput, o: RunOptions) {
    this.done = new Promise<void>((r) => setImmediate(r)).then(() =>
      runToEnd(spec, o, (e) => {
        o.onEvent?.(e);
        for (const q of this.queues) {
          q.events.push(e);
          q.wake?.();
        }
      }),
    );
    const end = (): void => {
      this.finished = true;
      for (const q of this.queues) q.wake?.();
    };
    this.done.then(end, end);
  }

  // biome-ignore lint/suspicious/noThenProperty: a run is awaited for its outcome on purpose (`await run(spec)`)
  then<A = RunOutcome, B = never>(
    ok?: ((v: RunOutcome) => A | PromiseLike<A>) | null,
    fail?: ((e: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    return this.done.then(ok, fail);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RunEvent> {
    const q: { events: RunEvent[]; wake: (() => void) | null } = { events: [], wake: null };
    this.queues.push(q);
    try {
      for (;;) {
        while (q.events.length) yield q.events.shift()!;
        if (this.finished) break;
        await new Promise<void>((r) => {
          q.wake = r;
        });
        q.wake = null;
      }
      await this.done; // its error, if any
    } finally {
      this.queues.splice(this.queues.indexOf(q), 1);
    }
  }
}

/** Checks, plans and runs a spec; see MiaRun. */
export const run = (spec: SpecInput, o: RunOptions = {}): MiaRun => new MiaRun(spec, o);

/** `mia run FILE`: check, compile, execute (workers, cache), write results.json, print the table. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BackendChoice } from '../ml/backend-choice.js';
import {
  backendOrExplain,
  defaultCacheDir,
  gateSpec,
  type Loaded,
  loadSpec,
  planSpec,
  requireWritableFolder,
} from '../pipeline/index.js';
import { resultsToJson, summaryOf } from '../report/index.js';
import { allHold, EXPECTATIONS_FAILED } from '../report/index.js';
import { resultsOfRun } from '../api/run.js';
import { chooseReporters, makeReporters } from '../ui/reporters.js';
import { writeReport } from './report-command.js';
import type { TypedProgram } from '../check/index.js';
import type { Plan } from '../plan/index.js';
import { Cache, defaultJobs, type EventSink, execute, type ExecuteOptions, type ExecuteResult } from '../run/index.js';
import { sweepStaleTemps, writeFileAtomicAsync } from '../util/atomic.js';
import { UsageError, UserError } from './errors.js';
import { defineCommand } from './command.js';
import { printDiagnostics } from './load.js';
import { checkResultsOwner, defaultResultsDir, provenanceOf } from '../api/provenance.js';
import { backendChoice, backendOption, cacheChoice, cacheOptions, onePositional, pluginOption } from './options.js';
import { loadPluginsOrExplain } from './plugins.js';
import { capJobs, parseJobs } from './prepare.js';
import { queueOption, retriesChoice, retriesOption } from './queue-options.js';
import { IN_FLIGHT, openCoordinator } from './queue-run.js';

export interface RunOptions {
  file: string;
  out?: string;
  backend: BackendChoice;
  json: boolean;
  /** Only the final table. */
  quiet?: boolean;
  /** `--reporter NAME[=FILE]`, repeatable (src/ui/reporters.ts); beside them the terminal's from json/quiet/tty. */
  reporters?: readonly string[];
  /** Whether stdout is a terminal (default: process.stdout.isTTY): the live view. */
  tty?: boolean;
  version: string;
  jobs?: number;
  cache?: string | null; // null: --no-cache; undefined: the default beside the spec
  /** Overwrite results another spec wrote in the output folder. */
  force?: boolean;
  /** The command line, recorded (masked) in results.json. */
  argv?: readonly string[];
  /** `--queue URL`: jobs run on `mia worker` processes; the cache folder is the store they share. */
  queue?: string;
  /** With a queue: attempts after a failure. */
  retries?: number;
}

/** The output folder must take results.json before any model trains: an unwritable --out fails now, not after the run. */
function checkOutDir(dir: string): void {
  requireWritableFolder(dir, { what: 'The output folder', option: '--out' });
  const target = join(dir, 'results.json');
  if (existsSync(target) && statSync(target).isDirectory())
    throw new UserError(
      `${target} is a folder, so results.json cannot be written there. Remove it or choose another --out.`,
    );
}

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT). */
export const INTERRUPTED = 130;
/** Exit code of a run stopped by SIGTERM (128 + 15). */
export const TERMINATED = 143;

export async function runCommand(o: RunOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const choices = chooseReporters({ reporters: o.reporters ?? [], json: o.json, quiet: o.quiet ?? false });
  const prepared = await prepareRun(o, err);
  if (!prepared) return 1;
  const { plan, program, dir, cache, loaded } = prepared;
  const tty = o.tty ?? Boolean(process.stdout.isTTY);
  const io = { out, err, stdout: process.stdout, metrics: program.report.metrics, tty };
  let sink: EventSink = () => {};
  const queue =
    o.queue === undefined ? null : await openCoordinator(o.queue, plan, cache, (e) => sink(e), o.retries ?? 2);
  const reporter = await makeReporters(choices, io);
  sink = reporter.onEvent;
  const remote = queue ? { remote: { run: queue.runner, inFlight: IN_FLIGHT } } : {};
  let ran: { result: ExecuteResult; exitOnStop: number };
  try {
    ran = await executeStoppable(plan, { onEvent: reporter.onEvent, jobs: o.jobs, cache, ...remote }, () =>
      queue?.close(),
    );
  } catch (e) {
    await reporter.close();
    throw e;
  } finally {
    await queue?.close();
  }
  const { result, exitOnStop } = ran;
  const path = join(dir, 'results.json');
  if (result.interrupted || result.failed.size > 0 || result.cancelled.size > 0) await reporter.close();
  const unfinished = unfinishedRun(result, exitOnStop, err);
  if (unfinished !== null) {
    if (existsSync(path)) err(`mia: ${path} is from an earlier run; this one wrote no results.\n`);
    return unfinished;
  }
  const results = {
    ...resultsOfRun(plan, program, result, o.version),
    provenance: provenanceOf(loaded, program, dir, o.argv ?? ['run', o.file], queue?.queueRecord()),
  };
  await writeFileAtomicAsync(path, resultsToJson(results));
  const report = await writeReport(dir, results, program.report.plots, err, program.report.metrics);
  reporter.written(results);
  reporter.onEvent({ type: 'resultsWritten', results: path, report, summary: summaryOf(results), at: Date.now() });
  await reporter.close();
  reporter.end(results);
  return allHold(results.expectations) ? 0 : EXPECTATIONS_FAILED;
}

/**
 * Everything before the first job: the spec loaded and gated (diagnostics printed), the output and
 * cache folders proven writable, the backend chosen, the plan compiled. Null when the spec is refused.
 */
async function prepareRun(
  o: RunOptions,
  err: (s: string) => void,
): Promise<{ plan: Plan; program: TypedProgram; dir: string; cache: Cache | null; loaded: Loaded } | null> {
  const loaded = loadSpec(o.file);
  printDiagnostics(loaded, err);
  if (!loaded.program) return null;
  const gated = gateSpec(loaded);
  printDiagnostics({ ...loaded, diagnostics: gated.diagnostics }, err);
  const program = gated.value;
  if (!program) return null;
  const dir = resolve(o.out ?? defaultResultsDir(o.file));
  checkOutDir(dir);
  checkResultsOwner(dir, loaded, program.experiment.name, o.force ?? false);
  for (const name of ['results.json', 'report.html']) sweepStaleTemps(dir, name);
  const cacheDir = o.cache === null ? null : resolve(o.cache ?? defaultCacheDir(o.file));
  if (cacheDir) requireWritableFolder(cacheDir, { what: 'The cache folder', option: '--cache' });
  const backend = await backendOrExplain(o.backend);
  const planned = planSpec(gated, backend, cacheDir); // continues after the gate above, without gating again
  printDiagnostics({ ...loaded, diagnostics: planned.diagnostics }, err);
  const plan = planned.value;
  if (!plan) return null;
  for (const d of plan.datasets) for (const note of d.notes ?? []) err(`mia: dataset ${d.name}: ${note}\n`);
  return { plan, program, dir, cache: cacheDir === null ? null : new Cache(cacheDir), loaded };
}

/**
 * Ctrl-C (or a TERM): workers end, nothing half-written is published (cache entries are renamed
 * into place whole, results.json is written only after a complete run).
 */
async function executeStoppable(
  plan: Plan,
  opts: ExecuteOptions,
  onStop: () => unknown = () => {},
): Promise<{ result: ExecuteResult; exitOnStop: number }> {
  const stop = new AbortController();
  stop.signal.addEventListener('abort', () => void onStop(), { once: true });
  let exitOnStop = INTERRUPTED;
  const onInt = (): void => {
    exitOnStop = INTERRUPTED;
    stop.abort();
  };
  const onTerm = (): void => {
    exitOnStop = TERMINATED;
    stop.abort();
  };
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    const result = await execute(plan, { ...opts, signal: stop.signal });
    return { result, exitOnStop };
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

/** The exit code of a run that was stopped or had failures, after saying so; null for a complete run. */
function unfinishedRun(result: ExecuteResult, exitOnStop: number, err: (s: string) => void): number | null {
  if (result.interrupted) {
    err('mia: stopped; what finished is in the cache, a rerun continues from there.\n');
    return exitOnStop;
  }
  if (result.failed.size === 0 && result.cancelled.size === 0) return null;
  err(
    `mia: ${result.failed.size} job${result.failed.size === 1 ? '' : 's'} failed${result.cancelled.size ? `, ${result.cancelled.size} not run because of them` : ''}:\n`,
  );
  for (const [id, msg] of result.failed) err(`  ${id}: ${msg}\n`);
  for (const [id, because] of result.cancelled) err(`  ${id}: not run (needs ${because})\n`);
  return 1;
}

export const runCli = defineCommand({
  name: 'run',
  summary: 'check, plan and run an experiment; writes results.json',
  usage: 'FILE [options]',
  options: {
    out: { type: 'string', value: 'DIR', help: 'where results go (default results/<spec name>/ beside the spec)' },
    force: { type: 'boolean', default: false, help: 'overwrite results another spec wrote in that folder' },
    backend: backendOption,
    jobs: { type: 'string', value: 'N', help: 'worker threads, at most the number of cores (default: that number)' },
    ...cacheOptions,
    ...queueOption,
    ...retriesOption,
    ...pluginOption,
    json: { type: 'boolean', default: false, help: 'events and results as JSON lines on stdout' },
    quiet: { type: 'boolean', default: false, help: 'print only the final table' },
    reporter: {
      type: 'string',
      multiple: true,
      value: 'NAME[=FILE]',
      help: 'default|ink|plain|quiet|json, or json=FILE (JSON lines to a file beside the terminal view)',
    },
  },
  run: async ({ values: v, positionals }, io) => {
    if (v.queue !== undefined && v['no-cache'])
      throw new UsageError(
        '--no-cache cannot be used with --queue: the workers hand their outputs over through the store (the cache folder). Give a fresh --cache DIR to compute everything again.',
      );
    await loadPluginsOrExplain(v.plugin);
    return runCommand(
      {
        file: onePositional(positionals, 'mia run takes one .mia file.'),
        out: v.out,
        backend: backendChoice(v.backend),
        json: v.json,
        quiet: v.quiet,
        reporters: v.reporter ?? [],
        version: io.version,
        jobs: capJobs(parseJobs(v.jobs, defaultJobs()), io.err),
        cache: cacheChoice(v.cache, v['no-cache']),
        force: v.force,
        argv: io.argv,
        ...(v.queue !== undefined ? { queue: v.queue, retries: retriesChoice(v.retries) } : {}),
      },
      io.out,
      io.err,
    );
  },
});

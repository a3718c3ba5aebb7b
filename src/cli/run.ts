/** `mia run FILE`: check, compile, execute (workers, cache), write results.json, print the table. */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { unsupportedForRun } from '../check/index.js';
import type { BackendChoice } from '../ml/backend-choice.js';
import { buildResults, resultsTable, resultsToJson, summaryOf } from '../report/index.js';
import { writeReport } from './report-command.js';
import { datasetFacts } from '../data/index.js';
import { Cache, execute } from '../run/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { UserError } from './errors.js';
import { loadSpec, printDiagnostics } from './load.js';
import { backendOrExplain, compileOrExplain, defaultCacheDir } from './prepare.js';
import { makeReporter, pickReporter } from '../ui/reporter.js';

export interface RunOptions {
  file: string;
  out?: string;
  backend: BackendChoice;
  json: boolean;
  /** Only the final table. */
  quiet?: boolean;
  /** Whether stdout is a terminal (default: process.stdout.isTTY): the live view. */
  tty?: boolean;
  version: string;
  jobs?: number;
  cache?: string | null; // null: --no-cache; undefined: the default beside the spec
}

/** The output folder must take results.json before any model trains: an unwritable --out fails now, not after the run. */
function checkOutDir(dir: string): void {
  const where = `The output folder ${dir}`;
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UserError(`${where} is a file. Give --out a folder.`);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UserError(
      `${where} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Give --out a folder you can write to.`,
    );
  }
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
  const loaded = loadSpec(o.file);
  printDiagnostics(loaded, err);
  const program = loaded.program;
  if (!program) return 1;
  const gate = unsupportedForRun(program);
  if (gate.length > 0) {
    printDiagnostics({ ...loaded, diagnostics: gate }, err);
    return 1;
  }
  const dir = resolve(o.out ?? join('results', program.experiment.name));
  checkOutDir(dir);
  const backend = await backendOrExplain(o.backend);
  const plan = compileOrExplain(program, loaded.source, o.file, backend);
  const cache = o.cache === null ? null : new Cache(resolve(o.cache ?? defaultCacheDir(o.file)));
  const kind = pickReporter({ json: o.json, quiet: o.quiet ?? false, tty: o.tty ?? Boolean(process.stdout.isTTY) });
  const reporter = await makeReporter(kind, { out, err, stdout: process.stdout, metrics: program.report.metrics });

  // Ctrl-C (or a TERM): workers end, nothing half-written is published (cache entries are renamed
  // into place whole, results.json is written only after a complete run).
  const stop = new AbortController();
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
  let result;
  try {
    result = await execute(plan, { onEvent: reporter.onEvent, jobs: o.jobs, cache, signal: stop.signal });
  } catch (e) {
    await reporter.close();
    throw e;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
  const path = join(dir, 'results.json');
  const stale = (): void => {
    if (existsSync(path)) err(`mia: ${path} is from an earlier run; this one wrote no results.\n`);
  };
  if (result.interrupted || result.failed.size > 0 || result.cancelled.size > 0) await reporter.close();
  if (result.interrupted) {
    err('mia: stopped; what finished is in the cache, a rerun continues from there.\n');
    stale();
    return exitOnStop;
  }
  if (result.failed.size > 0 || result.cancelled.size > 0) {
    err(
      `mia: ${result.failed.size} job${result.failed.size === 1 ? '' : 's'} failed${result.cancelled.size ? `, ${result.cancelled.size} not run because of them` : ''}:\n`,
    );
    for (const [id, msg] of result.failed) err(`  ${id}: ${msg}\n`);
    for (const [id, because] of result.cancelled) err(`  ${id}: not run (needs ${because})\n`);
    stale();
    return 1;
  }
  const labels = datasetFacts(plan.datasets.find((d) => d.name === plan.runs[0]!.target.dataset)!).labels;
  const results = buildResults(plan, result.outputs, labels, o.version);
  writeFileAtomic(path, resultsToJson(results));
  const report = await writeReport(dir, results, program.report.plots, err);
  reporter.onEvent({ type: 'resultsWritten', results: path, report, summary: summaryOf(results), at: Date.now() });
  await reporter.close();
  if (!reporter.showsTable) out(`${resultsTable(results, program.report.metrics)}\n`);
  if (kind === 'plain') out(`results: ${path}\n${report ? `report: ${report}\n` : ''}`);
  return 0;
}

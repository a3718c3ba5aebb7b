/** `mia run FILE`: check, compile, execute (workers, cache), write results.json, print the table. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BackendChoice } from '../ml/backend-choice.js';
import {
  backendOrExplain,
  defaultCacheDir,
  gateSpec,
  loadSpec,
  planSpec,
  requireWritableFolder,
} from '../pipeline/index.js';
import { buildResults, resultsTable, resultsToJson } from '../report/index.js';
import { datasetFacts } from '../data/index.js';
import { Cache, defaultJobs, execute } from '../run/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { UserError } from './errors.js';
import { defineCommand } from './command.js';
import { printDiagnostics } from './load.js';
import { backendChoice, backendOption, cacheChoice, cacheOptions, onePositional } from './options.js';
import { capJobs, parseJobs } from './prepare.js';
import { jsonReporter, plainReporter } from './reporter-plain.js';

export interface RunOptions {
  file: string;
  out?: string;
  backend: BackendChoice;
  json: boolean;
  version: string;
  jobs?: number;
  cache?: string | null; // null: --no-cache; undefined: the default beside the spec
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
  const loaded = loadSpec(o.file);
  printDiagnostics(loaded, err);
  if (!loaded.program) return 1;
  const gated = gateSpec(loaded);
  printDiagnostics({ ...loaded, diagnostics: gated.diagnostics }, err);
  const program = gated.value;
  if (!program) return 1;
  const dir = resolve(o.out ?? join('results', program.experiment.name));
  checkOutDir(dir);
  const cacheDir = o.cache === null ? null : resolve(o.cache ?? defaultCacheDir(o.file));
  if (cacheDir) requireWritableFolder(cacheDir, { what: 'The cache folder', option: '--cache' });
  const backend = await backendOrExplain(o.backend);
  const plan = planSpec(loaded, backend).value;
  if (!plan) return 1; // the gate above already refused what it would
  const cache = cacheDir === null ? null : new Cache(cacheDir);
  const reporter = o.json ? jsonReporter(out) : plainReporter(err);

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
    result = await execute(plan, { onEvent: reporter, jobs: o.jobs, cache, signal: stop.signal });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
  const path = join(dir, 'results.json');
  const stale = (): void => {
    if (existsSync(path)) err(`mia: ${path} is from an earlier run; this one wrote no results.\n`);
  };
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
  if (!o.json) {
    out(`${resultsTable(results, program.report.metrics)}\n`);
    out(`results: ${path}\n`);
  }
  return 0;
}

export const runCli = defineCommand({
  name: 'run',
  summary: 'check, plan and run an experiment; writes results.json',
  usage: 'FILE [options]',
  options: {
    out: { type: 'string', value: 'DIR', help: 'where results go (default results/<experiment>/)' },
    backend: backendOption,
    jobs: { type: 'string', value: 'N', help: 'worker threads, at most the number of cores (default: that number)' },
    ...cacheOptions,
    json: { type: 'boolean', default: false, help: 'events and results as JSON lines on stdout' },
  },
  run: ({ values: v, positionals }, io) =>
    runCommand(
      {
        file: onePositional(positionals, 'mia run takes one .mia file.'),
        out: v.out,
        backend: backendChoice(v.backend),
        json: v.json,
        version: io.version,
        jobs: capJobs(parseJobs(v.jobs, defaultJobs()), io.err),
        cache: cacheChoice(v.cache, v['no-cache']),
      },
      io.out,
      io.err,
    ),
});

/** `mia run FILE`: check, compile, execute, write results.json, print the table. */
import { join, resolve } from 'node:path';
import { unsupportedForRun } from '../check/index.js';
import { initBackend, BackendUnavailable, type BackendChoice } from '../ml/index.js';
import { compile, CompileError, type DatasetInfo } from '../plan/index.js';
import { buildResults, resultsTable, resultsToJson } from '../report/index.js';
import { execute, loadDataset } from '../run/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { formatDiagnostic } from '../lang/index.js';
import { UserError } from './errors.js';
import { loadSpec, printDiagnostics } from './load.js';
import { jsonReporter, plainReporter } from './reporter-plain.js';

export interface RunOptions { file: string; out?: string; backend: BackendChoice; json: boolean; version: string }

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
  let backend;
  try {
    backend = await initBackend(o.backend);
  } catch (e) {
    if (e instanceof BackendUnavailable) throw new UserError(e.message);
    throw e;
  }
  const datasets: DatasetInfo[] = program.datasets.map((d) => {
    const ds = loadDataset({ name: d.name, source: d.source });
    return { name: d.name, source: d.source, n: ds.n, classes: ds.classes, shape: ds.shape };
  });
  let plan;
  try {
    plan = compile(program, datasets, backend);
  } catch (e) {
    if (e instanceof CompileError) {
      const range = e.range ?? { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
      throw new UserError(formatDiagnostic({ code: 'E400', severity: 'error', message: e.message, file: o.file, range }, loaded.source));
    }
    throw e;
  }
  const reporter = o.json ? jsonReporter(out) : plainReporter(err);
  const result = await execute(plan, { onEvent: reporter });
  if (result.failed.size > 0) {
    err(`mia: ${result.failed.size} job${result.failed.size === 1 ? '' : 's'} failed:\n`);
    for (const [id, msg] of result.failed) err(`  ${id}: ${msg}\n`);
    return 1;
  }
  const labels = loadDataset(plan.datasets.find((d) => d.name === plan.target.dataset)!).y;
  const results = buildResults(plan, result.outputs, labels, o.version);
  const dir = resolve(o.out ?? join('results', plan.experiment));
  const path = join(dir, 'results.json');
  writeFileAtomic(path, resultsToJson(results));
  if (!o.json) {
    out(`${resultsTable(results, program.report.metrics)}\n`);
    out(`results: ${path}\n`);
  }
  return 0;
}

/** `mia report DIR` (report.html again from results.json) and `mia compare A B`; run writes the report through writeReport. */
import { defineCommand } from './command.js';
import { UsageError } from './errors.js';
import { basename, dirname, join, resolve } from 'node:path';
import type { MetricSpec, PlotSpec } from '../check/index.js';
import {
  compareHtml,
  compareResults,
  compareTable,
  provenanceChanges,
  readResults,
  reportHtml,
  ResultsReadError,
  type ResultsJson,
} from '../report/index.js';
import { writeFileAtomic, writeFileAtomicAsync } from '../util/atomic.js';
import { fileSystemProblem } from '../util/fs-errors.js';
import { UserError } from './errors.js';
import { reportSettingsOf } from './report-settings.js';

/** report.html beside results.json; a report that cannot be made is a warning (results.json stands). */
export async function writeReport(
  dir: string,
  results: ResultsJson,
  plots: readonly PlotSpec[],
  err: (s: string) => void,
  metrics: readonly MetricSpec[] = [],
): Promise<string | null> {
  const path = join(dir, 'report.html');
  try {
    await writeFileAtomicAsync(path, await reportHtml(results, plots, metrics));
    return path;
  } catch (e) {
    err(`mia: ${fileSystemProblem(e) ?? `could not write ${path}: ${(e as Error).message}`}\n`);
    return null;
  }
}

const read = (where: string): ReturnType<typeof readResults> => {
  try {
    return readResults(where);
  } catch (e) {
    if (e instanceof ResultsReadError) throw new UserError(e.message);
    throw e;
  }
};

export async function reportCommand(where: string, out: (s: string) => void): Promise<number> {
  const { path, results } = read(where);
  const html = join(dirname(resolve(path)), 'report.html');
  const { metrics, plots } = reportSettingsOf(results); // the run's page: its report block's metrics and plots
  writeFileAtomic(html, await reportHtml(results, plots, metrics));
  out(`report: ${html}\n`);
  return 0;
}

export async function compareCommand(
  o: { a: string; b: string; out?: string; json: boolean },
  out: (s: string) => void,
): Promise<number> {
  const A = read(o.a);
  const B = read(o.b);
  const changes = compareResults(A.results, B.results);
  const what = provenanceChanges(A.results, B.results);
  if (o.json) out(`${JSON.stringify({ a: A.path, b: B.path, provenance: what, changes })}\n`);
  else out(`${compareTable(changes, A.path, B.path, what)}\n`);
  const html = resolve(o.out ?? join(dirname(resolve(B.path)), `compare-${basename(dirname(resolve(A.path)))}.html`));
  writeFileAtomic(html, await compareHtml(A.results, B.results, A.path, B.path, changes));
  if (!o.json) out(`report: ${html}\n`);
  return 0;
}

export const reportCli = defineCommand({
  name: 'report',
  summary: 'rebuild DIR/report.html from DIR/results.json',
  usage: 'DIR',
  options: {},
  run: ({ positionals }, io) => {
    if (positionals.length !== 1) throw new UsageError('mia report takes one results folder.');
    return reportCommand(positionals[0]!, io.out);
  },
});

export const compareCli = defineCommand({
  name: 'compare',
  summary: "the metric changes between two runs' results (folders or results.json files)",
  usage: 'A B [options]',
  options: {
    out: { type: 'string', value: 'FILE', help: "where the comparison page goes (default beside B's results)" },
    json: { type: 'boolean', default: false, help: 'the changes as JSON' },
  },
  run: ({ values: v, positionals }, io) => {
    if (positionals.length !== 2) throw new UsageError('mia compare takes two results folders.');
    return compareCommand({ a: positionals[0]!, b: positionals[1]!, out: v.out, json: v.json }, io.out);
  },
});

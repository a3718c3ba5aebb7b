/** The terminal's final table: attacks × the report's metrics. */
import { match } from 'ts-pattern';
import type { MetricSpec } from '../check/index.js';
import type { Interval, Summary } from '../metrics/index.js';
import { auditTable } from './audit.js';
import type { ResultsJson } from './results.js';
import { expectationsTable } from './expectations.js';
import { type RunSummary, shadowDataLines, targetLine } from './summary.js';
import { flagLines, flagMark } from './flags.js';
import { slicesLines } from './slices-table.js';

/** The column header of a metric: AUC, TPR@1%, bal.acc, … */
export const metricHeader = (m: MetricSpec): string => {
  switch (m.kind) {
    case 'auc':
      return 'AUC';
    case 'tprAtFpr':
      return `TPR@${+(m.fpr * 100).toPrecision(6)}%`;
    case 'balanced_accuracy':
      return 'bal.acc';
    case 'advantage':
      return 'advantage';
    case 'precision':
      return 'precision';
    case 'recall':
      return 'recall';
  }
};

export function resultsTable(r: ResultsJson, metrics: MetricSpec[]): string {
  const lines: string[] = [];
  for (const run of r.runs) {
    const t = run.target;
    const params = Object.entries(run.params);
    if (params.length)
      lines.push(`${lines.length ? '\n' : ''}sweep point: ${params.map(([k, v]) => `${k} = ${v}`).join(', ')}`);
    lines.push(targetLine(t), ...shadowDataLines(run));
    const cols = ['attack', 'kind', ...metrics.map(metricHeader)];
    const rows = run.attacks.map((a) => [
      a.name,
      a.kind,
      ...metrics.map((m) => {
        const v = metricValue(a.metrics, m);
        return v === undefined ? '-' : `${v.toFixed(4)}${flagMark(a.metrics, m)}`;
      }),
    ]);
    const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
    const fmt = (row: string[]): string =>
      row.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    lines.push(fmt(cols), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt));
    lines.push(...flagLines(run.attacks, metrics));
    lines.push(...slicesLines(run));
    if (run.audit) lines.push('', ...auditTable(run.audit));
  }
  if (r.expectations?.length) lines.push('', expectationsTable(r.expectations));
  if (new Set(r.runs.map((run) => run.target.name)).size > 1) lines.push('', ...sideBySide(r.runs, metrics));
  return lines.join('\n');
}

/** Several targets: a row per target (and sweep point), test accuracy, ε and each attack's first two metrics. */
export function sideBySide(runs: readonly RunSummary[], metrics: readonly MetricSpec[]): string[] {
  const shown = metrics.slice(0, 2);
  const attacks = [...new Set(runs.flatMap((run) => run.attacks.map((a) => a.name)))];
  const cols = ['target', 'test acc.', 'ε', ...attacks.flatMap((a) => shown.map((m) => `${a} ${metricHeader(m)}`))];
  const rows = runs.map((run) => {
    const params = Object.entries(run.params).map(([k, v]) => `${k}=${v}`);
    return [
      `${run.target.name}${params.length ? ` (${params.join(', ')})` : ''}`,
      run.target.testAccuracy === null ? 'n/a' : run.target.testAccuracy.toFixed(3),
      run.target.privacy ? run.target.privacy.epsilon.toFixed(2) : '-',
      ...attacks.flatMap((name) => {
        const a = run.attacks.find((x) => x.name === name);
        return shown.map((m) => {
          const v = a ? metricValue(a.metrics, m) : undefined;
          return v === undefined ? '-' : `${v.toFixed(3)}${flagMark(a!.metrics, m)}`;
        });
      }),
    ];
  });
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]): string =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return ['privacy and utility per target:', fmt(cols), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
}

/** A metric's value in a summary (undefined: a TPR level the run did not compute). */
export const metricValue = (s: Summary, m: MetricSpec): number | undefined =>
  match(m)
    .with({ kind: 'auc' }, () => s.auc)
    .with({ kind: 'tprAtFpr' }, (t) => s.tprAtFpr[String(t.fpr)])
    .with({ kind: 'balanced_accuracy' }, () => s.balancedAccuracy)
    .with({ kind: 'precision' }, () => s.precision)
    .with({ kind: 'recall' }, () => s.recall)
    .with({ kind: 'advantage' }, () => s.advantage)
    .exhaustive();

/** The bootstrap interval of a metric, where results.json has one (AUC and TPR at each FPR level). */
export function metricInterval(s: Summary, m: MetricSpec): Interval | undefined {
  if (m.kind === 'auc') return s.ci?.auc;
  if (m.kind === 'tprAtFpr') return s.ci?.tprAtFpr[String(m.fpr)];
  return undefined;
}

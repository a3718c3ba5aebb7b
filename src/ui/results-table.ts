/**
 * The final table of the terminal views: per run, the target's accuracy, then attacks × metrics with
 * each value over its 95% bootstrap interval, laid out to fit `width` columns (values are dropped from
 * the right, never wrapped).
 */
import type { MetricSpec } from '../check/index.js';
import {
  auditTable,
  flagLines,
  flagMark,
  metricHeader,
  metricInterval,
  metricValue,
  type RunSummary,
  shadowDataLines,
  sideBySide,
  targetLine,
} from '../report/index.js';
import { fit, wrap } from './format.js';

const num = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(3));
/** "0.512–0.553" without the leading zeros: ".512–.553". */
const interval = (i: [number, number] | undefined): string =>
  i ? `${i[0].toFixed(3).replace(/^0/, '')}–${i[1].toFixed(3).replace(/^0/, '')}` : '';

export interface TableLine {
  key: string;
  text: string;
  dim?: boolean;
  bold?: boolean;
}

export function resultLines(runs: readonly RunSummary[], metrics: readonly MetricSpec[], width: number): TableLine[] {
  const lines: Omit<TableLine, 'key'>[] = [];
  const out = { push: (l: Omit<TableLine, 'key'>): number => lines.push(l) };
  for (const run of runs) {
    const params = Object.entries(run.params);
    if (params.length)
      out.push({ text: fit(`sweep point ${params.map(([k, v]) => `${k} = ${v}`).join(', ')}`, width), bold: true });
    // the same lines as the piped table (report/summary.ts), wrapped rather than cut
    for (const l of [targetLine(run.target), ...shadowDataLines(run)])
      for (const w of wrap(l, width)) out.push({ text: w });
    const nameW = Math.min(16, Math.max(6, ...run.attacks.map((a) => a.name.length)));
    const flagged = run.attacks.some((a) => a.metrics.flags?.length);
    const cols = metrics.map((m) => ({
      m,
      head: metricHeader(m),
      w: Math.max(
        metricHeader(m).length,
        flagged ? 6 : 5,
        ...run.attacks.map((a) => interval(metricInterval(a.metrics, m)).length),
      ),
    }));
    let used = nameW;
    const shown = cols.filter((c) => (used += c.w + 2) <= width);
    const row = (name: string, cells: string[]): string =>
      [name.padEnd(nameW), ...cells.map((c, i) => c.padStart(shown[i]!.w))].join('  ').trimEnd();
    out.push({
      text: row(
        'attack',
        shown.map((c) => c.head),
      ),
      bold: true,
    });
    for (const a of run.attacks) {
      out.push({
        text: row(
          fit(a.name, nameW),
          shown.map((c) => `${num(metricValue(a.metrics, c.m))}${flagMark(a.metrics, c.m)}`),
        ),
      });
      const cis = shown.map((c) => interval(metricInterval(a.metrics, c.m)));
      if (cis.some((c) => c)) out.push({ text: row('', cis), dim: true });
    }
    for (const l of flagLines(run.attacks, metrics)) for (const w of wrap(l, width)) out.push({ text: w });
    for (const l of run.sliceLines ?? []) out.push({ text: fit(l, width), bold: l.startsWith('slices:') });
    if (shown.length < cols.length)
      out.push({ text: fit(`(${cols.length - shown.length} more metrics in results.json)`, width), dim: true });
    if (run.audit)
      for (const l of auditTable(run.audit)) out.push({ text: fit(l, width), bold: l.startsWith('AUDIT FAILED') });
  }
  if (new Set(runs.map((r) => r.target.name)).size > 1)
    for (const [i, l] of sideBySide(runs, metrics).entries()) out.push({ text: fit(l, width), bold: i === 0 });
  return lines.map((l, i) => ({ ...l, key: `line-${i}` }));
}

/**
 * The terminal's slices table, printed when results are sliced by a column (`report { slices ["sex"] }`):
 * a row per slice (class, then each column's values), per attack its AUC and TPR at one FPR level with 95%
 * intervals, and the slice that leaks most named. A TPR level below 1/(the slice's non-members) is not a
 * measurement there: its cell is `*`, explained below the table, never a number.
 */
import { trustedTpr, type SliceMetrics } from '../metrics/index.js';
import { clip } from '../lang/index.js';
import { oneLine } from '../util/escape.js';
import { sliceLevel } from './exposure-html.js';
import type { RunResult } from './results.js';
import { sliceName } from './slice-expectations.js';

const f3 = (v: number): string => v.toFixed(3);
const ci = (i: readonly [number, number] | undefined): string => (i ? ` [${f3(i[0])}, ${f3(i[1])}]` : '');
const pct = (level: string): string => `${+(Number(level) * 100).toPrecision(6)}%`;
const shownName = (s: { by: string; value: number | string }): string => oneLine(clip(sliceName(s), 40));

function cells(s: SliceMetrics | undefined, level: string | null): [string, string] {
  if (!s?.metrics) return ['-', '-'];
  const auc = `${f3(s.metrics.auc)}${ci(s.metrics.ci?.auc)}`;
  if (level === null) return [auc, '-'];
  const v = s.metrics.tprAtFpr[level];
  const tpr = trustedTpr(s, level) && v !== undefined ? `${f3(v)}${ci(s.metrics.ci?.tprAtFpr[level])}` : '*';
  return [auc, tpr];
}

/** The slices table of a run, with its heading and notes; no lines unless the run is sliced by a column. */
export function slicesLines(run: RunResult): string[] {
  const attacks = run.attacks.filter((a) => a.slices?.length);
  if (!attacks.some((a) => a.slices!.some((s) => s.by !== 'class'))) return [];
  const level = sliceLevel(run);
  const keys = [...new Map(attacks.flatMap((a) => a.slices!.map((s) => [`${s.by}\u0000${s.value}`, s]))).values()];
  const cols = [
    'slice',
    'members/non',
    ...attacks.flatMap((a) => [`${a.name} AUC`, `${a.name} TPR@${level === null ? '-' : pct(level)}`]),
  ];
  const rows = keys.map((k) => [
    shownName(k),
    `${k.members}/${k.nonMembers}`,
    ...attacks.flatMap((a) =>
      cells(
        a.slices!.find((s) => s.by === k.by && s.value === k.value),
        level,
      ),
    ),
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string =>
    r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const worst = attacks
    .flatMap((a) => (a.worstSlice ? [{ a: a.name, w: a.worstSlice }] : []))
    .sort((p, q) => q.w.auc - p.w.auc)[0];
  const head = worst
    ? `slices: the one that leaks most is ${shownName(worst.w)}, to ${worst.a} (AUC ${f3(worst.w.auc)})`
    : 'slices:';
  const flagged = rows.some((r) => r.includes('*'));
  const note =
    flagged && level !== null ? [`* too few non-members in the slice to measure TPR@${pct(level)}: not a result`] : [];
  return ['', head, fmt(cols), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt), ...note];
}

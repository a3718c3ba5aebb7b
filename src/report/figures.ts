/**
 * More of the report's figures (vega-lite specs, drawn by plots.ts's toSvg): per-slice AUC with
 * intervals, privacy against utility for several targets (test accuracy against TPR at a low FPR, with
 * intervals), ROC curves of one attack across targets; and each figure's data as CSV, offered for
 * download beside its SVG.
 */
import type { TopLevelSpec } from 'vega-lite';
import { plotText, rocPoints } from './plots.js';
import type { RunResult } from './results.js';

type Row = Record<string, number | string>;

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  config: { font: 'sans-serif', legend: { orient: 'bottom', columns: 2 }, view: { stroke: '#ccc' } },
} as const;

const pct = (level: string): string => `${+(Number(level) * 100).toPrecision(6)}%`;

/** Each attack's AUC per slice, with its 95% interval as a rule. */
export function slicesSpec(run: RunResult): TopLevelSpec | null {
  const values: Row[] = run.attacks.flatMap((a) =>
    (a.slices ?? []).flatMap((s) =>
      s.metrics
        ? [
            {
              slice: s.by === 'class' ? String(s.value) : `${s.by}=${s.value}`,
              attack: a.name,
              auc: s.metrics.auc,
              lo: s.metrics.ci?.auc[0] ?? s.metrics.auc,
              hi: s.metrics.ci?.auc[1] ?? s.metrics.auc,
            },
          ]
        : [],
    ),
  );
  if (!values.length) return null;
  // Class slices only (the default) keep their names; with a column's slices the axis holds both kinds.
  const byColumn = run.attacks.some((a) => (a.slices ?? []).some((s) => s.by !== 'class'));
  const x = { field: 'slice', type: 'nominal', title: byColumn ? 'slice' : 'class', sort: null };
  const offset = { xOffset: { field: 'attack', type: 'nominal' } };
  return {
    ...base,
    title: `AUC per ${byColumn ? 'slice' : 'class'} (95% intervals)`,
    width: 520,
    height: 220,
    data: { values },
    layer: [
      {
        mark: { type: 'rule' },
        encoding: {
          x,
          ...offset,
          y: { field: 'lo', type: 'quantitative', scale: { zero: false }, title: 'attack AUC' },
          y2: { field: 'hi' },
          color: { field: 'attack', type: 'nominal' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 40 },
        encoding: {
          x,
          ...offset,
          y: { field: 'auc', type: 'quantitative' },
          color: { field: 'attack', type: 'nominal', title: 'attack' },
        },
      },
    ],
  } as TopLevelSpec;
}

/** One row per target and attack: accuracy, TPR at `level` and its interval. */
function tradeoffRows(runs: RunResult[], level: string): Row[] {
  return runs.flatMap((r) =>
    r.target.testAccuracy === null
      ? []
      : r.attacks.flatMap((a) => {
          const tpr = a.metrics.tprAtFpr[level];
          if (tpr === undefined) return [];
          const [lo, hi] = a.metrics.ci?.tprAtFpr[level] ?? [tpr, tpr];
          const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`);
          return [
            {
              target: [r.target.name, ...params].join(' '),
              attack: a.name,
              accuracy: r.target.testAccuracy!,
              tpr,
              lo,
              hi,
            },
          ];
        }),
  );
}

/**
 * Several targets: each target's test accuracy against each attack's TPR at `level`, with the TPR's
 * interval; a panel per attack and a colour per target (a legend, no labels on the points: defended
 * models of about the same accuracy sit on top of each other, and their labels would too).
 */
export function targetsTradeoffSpec(runs: RunResult[], level: string): TopLevelSpec | null {
  const rows = tradeoffRows(runs, level);
  if (!rows.length) return null;
  // The panels in the attacks' declared order, by a field: a sort list would put the attacks' names into a
  // vega expression, where a hostile name (a line separator, a quote) breaks it.
  const order = [...new Set(rows.map((v) => String(v.attack)))];
  const values: Row[] = rows.map((v) => ({ ...v, order: order.indexOf(String(v.attack)) }));
  const x = {
    field: 'accuracy',
    type: 'quantitative',
    scale: { zero: false, padding: 12 },
    title: 'target test accuracy',
  };
  const targets = new Set(values.map((v) => v.target)).size;
  const color = {
    field: 'target',
    type: 'nominal',
    title: 'target',
    sort: null,
    scale: { scheme: targets > 10 ? 'tableau20' : 'tableau10' },
  };
  return {
    ...base,
    config: { ...base.config, legend: { orient: 'right', columns: 1 } },
    title: plotText(`privacy (TPR at ${pct(level)} FPR) against utility, per target`),
    data: { values },
    facet: {
      field: 'attack',
      type: 'nominal',
      title: null,
      sort: { field: 'order', op: 'min' },
      header: { labelFontSize: 12, labelFontWeight: 'bold' },
    },
    columns: 2,
    spec: {
      width: 220,
      height: 170,
      layer: [
        {
          mark: { type: 'rule', opacity: 0.6 },
          encoding: {
            x,
            y: { field: 'lo', type: 'quantitative', title: plotText(`TPR at ${pct(level)} FPR`) },
            y2: { field: 'hi' },
            color,
          },
        },
        {
          mark: { type: 'point', filled: true, size: 55, opacity: 0.9 },
          encoding: {
            x,
            y: { field: 'tpr', type: 'quantitative' },
            color,
            tooltip: [{ field: 'target' }, { field: 'tpr' }, { field: 'accuracy' }],
          },
        },
      ],
    },
  } as TopLevelSpec;
}

/** One attack's ROC curve against every target (log-log): which defence lowers it, at a glance. */
export function rocAcrossTargets(
  runs: RunResult[],
  attack: string,
): { target: string; points: { fpr: number; tpr: number }[] }[] {
  return runs.flatMap((r) => {
    const a = r.attacks.find((x) => x.name === attack);
    if (!a) return [];
    const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`);
    return [{ target: [r.target.name, ...params].join(' '), points: rocPoints(a, 200) }];
  });
}

/** Every `data.values` of a spec (its layers' too), as one CSV: the figure's data, downloadable. */
export function specCsv(spec: unknown): string {
  const rows: Row[] = [];
  const visit = (s: unknown): void => {
    if (typeof s !== 'object' || s === null) return;
    const o = s as { data?: { values?: Row[] }; layer?: unknown[] };
    if (Array.isArray(o.data?.values)) rows.push(...o.data.values);
    for (const l of o.layer ?? []) visit(l);
  };
  visit(spec);
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string => {
    let s = v === undefined || v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s) && Number.isNaN(Number(s))) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[cols.map(cell).join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n')}\n`;
}

/** The experiment header, the sweep grid and the report. */
import { clip, type Expr, type Item, type Range } from '../../lang/index.js';
import {
  type MetricSpec,
  PLAIN_METRICS,
  type PlotSpec,
  type ReportDef,
  type SweepAxisDef,
} from '../../kinds/program.js';
import type { SettingDoc } from '../../kinds/schema.js';
import { callParts, params } from './expr-reader.js';
import { didYouMean } from '../../util/suggest.js';
import { readAudit } from './audit.js';
import type { ReadContext } from './context.js';
import { readExpectations, withExpectations } from './expect.js';
import { readSlices } from './slices.js';

export const PLOTS = ['roc', 'histogram'] as const;

export const DEFAULT_METRICS: MetricSpec[] = [
  { kind: 'auc' },
  { kind: 'tprAtFpr', fpr: 0.001 },
  { kind: 'tprAtFpr', fpr: 0.01 },
  { kind: 'tprAtFpr', fpr: 0.1 },
  { kind: 'balanced_accuracy' },
  { kind: 'advantage' },
];

/** The report's settings, as its reader takes them and the editor shows them. */
export const REPORT_SETTINGS: Readonly<Record<'metrics' | 'plots' | 'slices' | 'expect' | 'audit', SettingDoc>> = {
  metrics: {
    type: 'list of metrics',
    default: 'auc, tpr@0.1%, tpr@1%, tpr@10%, balanced_accuracy, advantage',
    doc: 'The metrics reported.',
    items: 'metric',
  },
  plots: { type: 'list of plots', default: '[]', doc: 'roc, roc(log), histogram.', items: 'plot' },
  slices: { type: 'list', default: '[class]', doc: 'Slices of the results: class, or a CSV column in quotes ("sex").' },
  expect: { type: 'block of comparisons', default: 'none', doc: 'What the run must show: expect { loss.auc < 0.6 }.' },
  audit: { type: 'block', default: 'none', doc: 'A privacy audit from canaries.' },
};

export interface Experiment {
  name: string;
  seed: number;
}

export function readExperiment(ctx: ReadContext, exp: Extract<Item, { kind: 'experiment' }>): Experiment | undefined {
  const { r, loc } = ctx;
  const m = r.entries(exp.body ?? { entries: [], range: exp.range }, `experiment "${exp.name}"`, ['seed']);
  const seedE = m.get('seed');
  const seed = seedE ? r.number(seedE.value, 'The seed', { integer: true }) : 0;
  if (seed === undefined) return undefined;
  const out = { name: exp.name, seed };
  loc.put(out, r.file, exp.range, seedE ? { seed: seedE.value.range } : {});
  return out;
}

export function readSweep(ctx: ReadContext, s: Extract<Item, { kind: 'sweep' }>): SweepAxisDef[] {
  const { r, loc } = ctx;
  const out: SweepAxisDef[] = [];
  for (const ax of s.axes) {
    if (ax.path.length === 0) continue;
    const items = r.list(ax.values, `The values of the sweep over ${ax.path.join('.')}`);
    if (!items) continue;
    if (items.length === 0) {
      r.error(
        'E191',
        `The sweep over ${ax.path.join('.')} has no values.`,
        ax.values.range,
        'Give at least one: a.b in [1, 2].',
      );
      continue;
    }
    const values: (number | string)[] = [];
    let ok = true;
    for (const v of items) {
      if (v.kind === 'number' || v.kind === 'percent') values.push(v.value);
      else if (v.kind === 'string') values.push(v.value);
      else if (v.kind === 'ident') values.push(v.name);
      else {
        r.error('E192', 'A sweep value must be a number, a string or a name.', v.range);
        ok = false;
      }
    }
    if (!ok) continue;
    const def: SweepAxisDef = { path: ax.path, values, file: r.file, range: ax.range };
    loc.put(def, r.file, ax.range, { path: ax.pathRange, values: ax.values.range });
    out.push(def);
  }
  return out;
}

export function readReport(ctx: ReadContext, rep: Extract<Item, { kind: 'report' }>): ReportDef | undefined {
  const { r, loc } = ctx;
  const es = r.entries(rep.body, 'the report', Object.keys(REPORT_SETTINGS));
  const fields: Record<string, Range> = {};
  const metrics: MetricSpec[] = [];
  const plots: PlotSpec[] = [];
  let ok = true;
  const mE = es.get('metrics');
  if (mE) {
    const items = r.list(mE.value, "The report's metrics");
    if (!items) ok = false;
    const seen = new Set<string>();
    for (const item of items ?? []) {
      const ms = readMetric(ctx, item);
      const key = ms && JSON.stringify(ms);
      if (key && seen.has(key)) {
        r.warn(
          'W150',
          `The metric ${metricLabel(ms)} is listed twice; it is reported once.`,
          item.range,
          'Remove the repeat.',
        );
        continue;
      }
      if (key) seen.add(key);
      if (ms) {
        fields[`metrics.${metrics.length}`] = item.kind === 'at' ? item.level.range : item.range;
        metrics.push(ms);
      } else ok = false;
    }
  }
  const pE = es.get('plots');
  if (pE) {
    const items = r.list(pE.value, "The report's plots");
    if (!items) ok = false;
    for (const item of items ?? []) {
      const ps = readPlot(ctx, item);
      if (ps) plots.push(ps);
      else ok = false;
    }
  }
  const xE = es.get('expect');
  if (xE && xE.value.kind !== 'expect') {
    r.error('E260', 'expect takes a block of comparisons: expect { loss.auc < 0.6 }.', xE.value.range);
    ok = false;
  }
  const aE = es.get('audit');
  const audit = aE ? readAudit(ctx, aE) : undefined;
  const sliced = readSlices(ctx, es.get('slices'));
  if (!ok || (aE && !audit) || !sliced) return undefined;
  const def: ReportDef = {
    metrics: mE ? metrics : DEFAULT_METRICS.slice(),
    plots,
    ...sliced,
    ...(audit ? { audit } : {}),
    range: rep.range,
  };
  loc.put(def, r.file, rep.range, fields);
  return xE?.value.kind === 'expect' ? (withExpectations(def, readExpectations(ctx, xE.value)) ?? def) : def;
}

const metricLabel = (m: MetricSpec): string =>
  m.kind === 'tprAtFpr' ? `tpr@${+(m.fpr * 100).toPrecision(12)}%` : m.kind;

function readMetric(ctx: ReadContext, e: Expr): MetricSpec | undefined {
  const { r } = ctx;
  if (e.kind === 'at') {
    if (e.left.kind !== 'ident' || e.left.name !== 'tpr') {
      r.error('E151', 'Only tpr@LEVEL metrics take a level, e.g. tpr@1%.', e.range);
      return undefined;
    }
    if (e.level.kind === 'number') {
      const raw = clip(e.level.raw);
      const pct = +(e.level.value * 100).toPrecision(12);
      r.error(
        'E154',
        `The FPR level of tpr@ needs a % sign: tpr@${raw} could mean ${raw}% or ${pct}%.`,
        e.level.range,
        `Write tpr@${raw}% for ${raw}% FPR, or tpr@${pct}% for ${pct}%.`,
      );
      return undefined;
    }
    const fpr = r.number(e.level, 'The FPR level of tpr@', { percent: true });
    return fpr === undefined ? undefined : { kind: 'tprAtFpr', fpr };
  }
  const names = PLAIN_METRICS;
  if (e.kind === 'ident' && e.name === 'tpr') {
    r.error('E151', 'tpr needs a false-positive-rate level: tpr@1%.', e.range);
    return undefined;
  }
  const n = r.name(e, 'A metric');
  if (n === undefined) return undefined;
  if (!(names as readonly string[]).includes(n)) {
    r.error(
      'E150',
      `Unknown metric "${n}".${didYouMean(n, [...names, 'tpr'])}`,
      e.range,
      `Metrics: ${names.join(', ')}, tpr@LEVEL%.`,
    );
    return undefined;
  }
  return { kind: n as (typeof names)[number] };
}

function readPlot(ctx: ReadContext, e: Expr): PlotSpec | undefined {
  const { r } = ctx;
  const c = callParts(e);
  if (!c || !(PLOTS as readonly string[]).includes(c.name)) {
    r.error(
      'E153',
      `Unknown plot${c ? ` "${c.name}"` : ''}.${c ? didYouMean(c.name, PLOTS) : ''}`,
      c?.nameRange ?? e.range,
      'Plots: roc, roc(log), histogram.',
    );
    return undefined;
  }
  if (c.name === 'histogram') {
    params(r, c, 'the histogram plot', [], []);
    return { kind: 'histogram' };
  }
  const p = params(r, c, 'the roc plot', ['scale'], []);
  const s = p.get('scale');
  const scale = s ? r.oneOf(s.value, 'ROC scale', ['linear', 'log'] as const) : 'linear';
  return scale ? { kind: 'roc', scale } : undefined;
}

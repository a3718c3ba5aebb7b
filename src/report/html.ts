/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no network) from results.json:
 * per run (sweep point) the target's utility, the metrics table with 95% intervals, ROC curves and
 * score histograms; for sweeps, metrics against each swept setting and privacy against utility.
 * Every value from results.json reaches the page through the `html` template (util/escape.ts), which
 * escapes it whatever its type; only mia's CSS and the SVG vega drew go in `raw`.
 */
import { expectationsHtml } from './expectations.js';
import { match } from 'ts-pattern';
import type { MetricSpec, PlotSpec } from '../check/index.js';
import { auditSection } from './audit-html.js';
import { flagLines, flagMark } from './flags.js';
import { metricHeader, metricInterval, metricValue } from './table.js';
import { histogramSpec, privacyUtilitySpec, rocPoints, rocSpec, sweepSpec, toSvg } from './plots.js';
import type { TopLevelSpec } from 'vega-lite';
import { rocAcrossTargets, slicesSpec, specCsv, targetsTradeoffSpec } from './figures.js';
import { slicesSection, topRecordsSection } from './exposure-html.js';
import type { AttackResult, ResultsJson, RunResult } from './results.js';
import { type Html, html, joinHtml, raw } from '../util/escape.js';

/** What the report shows when the spec names no plots: log-log ROC curves and histograms. */
export const DEFAULT_PLOTS: PlotSpec[] = [{ kind: 'roc', scale: 'log' }, { kind: 'histogram' }];

const f3 = (v: number | null | undefined): string => (typeof v === 'number' ? v.toFixed(3) : 'n/a');
const ci = (i: [number, number] | undefined): Html | '' =>
  i ? html` <span class="ci">[${f3(i[0])}, ${f3(i[1])}]</span>` : '';
const pct = (level: string): string => `${+(Number(level) * 100).toPrecision(6)}%`;
/** A sweep point's settings as text: `refs.count = 4, …`. */
const settings = (params: Record<string, unknown>): string[] => Object.entries(params).map(([k, v]) => `${k} = ${v}`);

export const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
.mia-expect tr.pass td:last-child{color:#1a7f37}.mia-expect tr.fail td:last-child{color:#cf222e;font-weight:bold}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{padding:.25em .7em;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child,th.l,td.l{text-align:left}.ci{color:#777;font-size:.85em}
.plots{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}figure.plot{margin:0}.meta{color:#555}
figcaption.dl{font-size:.8em;color:#777}figcaption.dl a{color:#555}img.record{image-rendering:pixelated;display:block}
tr.worst td{font-weight:bold}table.slices{font-size:.85em;white-space:nowrap}table.slices td{line-height:1.2}.cards{display:flex;flex-wrap:wrap;gap:.6em}.card{width:118px;font-size:.78em;line-height:1.3;border:1px solid #e4e4e4;padding:4px}.card.m{border-color:#d62728}p.worst{font-size:1.05em}td.ranks{color:#555;font-size:.85em}code.row{font-size:.8em}h4{margin:1.2em 0 .2em}
.up{color:#b00}.down{color:#070}.flag{color:#b00;font-weight:bold}ul.flags{color:#b00}`;

/** The FPR levels a run's results carry (keys of tprAtFpr), in increasing order. */
const levelsOf = (run: RunResult): string[] =>
  [...new Set(run.attacks.flatMap((a) => Object.keys(a.metrics.tprAtFpr)))].sort((x, y) => Number(x) - Number(y));

/** A column of the metrics table: a metric, and for a TPR the key of its level in results.json. */
type Column = { m: MetricSpec; level?: string };

/**
 * The columns of the metrics table: the spec's `report { metrics [...] }` in its order, or when it names
 * none AUC, every TPR level the run has, balanced accuracy and advantage.
 */
export function shownMetrics(metrics: readonly MetricSpec[] | undefined, levels: string[]): Column[] {
  if (metrics?.length) return metrics.map((m) => (m.kind === 'tprAtFpr' ? { m, level: String(m.fpr) } : { m }));
  return [
    { m: { kind: 'auc' } },
    ...levels.map((level): Column => ({ m: { kind: 'tprAtFpr', fpr: Number(level) }, level })),
    { m: { kind: 'balanced_accuracy' } },
    { m: { kind: 'advantage' } },
  ];
}

/** A metric's column header in the page. */
const columnHead = (c: Column): string =>
  c.level !== undefined ? `TPR@${pct(c.level)}` : c.m.kind === 'balanced_accuracy' ? 'bal. acc.' : metricHeader(c.m);

export function metricsTable(run: RunResult, metrics?: readonly MetricSpec[]): Html {
  const cols = shownMetrics(metrics, levelsOf(run));
  const head = ['attack', 'kind', ...cols.map(columnHead)];
  const cell = (a: AttackResult, c: Column): Html => {
    const f = flagMark(a.metrics, c.m);
    const mark = f ? html`<span class="flag">${f}</span>` : html``;
    const value = c.level !== undefined ? a.metrics.tprAtFpr[c.level] : metricValue(a.metrics, c.m);
    const interval = c.level !== undefined ? a.metrics.ci?.tprAtFpr[c.level] : metricInterval(a.metrics, c.m);
    return html`<td>${f3(value)}${mark}${ci(interval)}</td>`;
  };
  const row = (a: AttackResult): Html =>
    html`<tr><td>${a.name}</td><td class="l">${a.kind}</td>${cols.map((c) => cell(a, c))}</tr>`;
  const th = head.map((h, i) => (i === 1 ? html`<th class="l">${h}</th>` : html`<th>${h}</th>`));
  const flags = flagLines(run.attacks, metrics?.length ? metrics : undefined);
  const notes = flags.length ? html`<ul class="flags">${flags.map((l) => html`<li>${l}</li>`)}</ul>` : html``;
  return html`<table class="metrics"><thead><tr>${th}</tr></thead><tbody>${run.attacks.map(row)}</tbody></table>${notes}`;
}

export function targetTable(run: RunResult): Html {
  const t = run.target;
  const cells: [string, string][] = [
    ['train accuracy', f3(t.trainAccuracy)],
    ['test accuracy', f3(t.testAccuracy)],
    ['generalisation gap', f3(t.generalizationGap)],
    ['train / test loss', `${f3(t.trainLoss)} / ${f3(t.testLoss)}`],
    ['vulnerability V', f3(t.vulnerability)],
    ...(t.epsilon !== undefined
      ? ([['ε (DP)', `${f3(t.epsilon)}${t.delta !== undefined ? `, δ ${t.delta}` : ''}`]] as [string, string][])
      : []),
    ...(run.shadowData ?? []).map((x): [string, string] => [
      `shadow data ${x.dataset}`,
      `${x.records.toLocaleString('en-US')} records by ${x.kind}, ${x.queries.toLocaleString('en-US')} target queries`,
    ]),
  ];
  const rows = cells.map(([k, v]) => html`<tr><td>${k}</td><td>${v}</td></tr>`);
  return html`<table class="target"><thead><tr><th>target ${t.name}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

const dataUri = (type: string, text: string): string =>
  `data:${type};base64,${Buffer.from(text, 'utf8').toString('base64')}`;

/**
 * A plot: the SVG vega drew (its text escaped by vega's renderer) in a figure named `name`, with links
 * that download the SVG and the figure's data as CSV (data: URIs; the page runs no script).
 */
export async function figure(spec: TopLevelSpec, name: string): Promise<Html> {
  const svg = await toSvg(spec);
  const links = html`<figcaption class="dl"><a download="${name}.svg" href="${dataUri('image/svg+xml', svg)}">SVG</a> · <a download="${name}.csv" href="${dataUri('text/csv', specCsv(spec))}">data (CSV)</a></figcaption>`;
  return html`<figure class="plot" data-plot="${name}">${raw(svg)}${links}</figure>`;
}

/** The signal a threshold attack scored (from provenance's resolved settings), for the histogram's axis title. */
function signalOf(r: ResultsJson, attack: string): string | undefined {
  const a = r.provenance?.settings.attacks.find((x) => x.name === attack) as
    | { settings?: { signal?: unknown } }
    | undefined;
  return typeof a?.settings?.signal === 'string' ? a.settings.signal : undefined;
}

async function runSection(
  run: RunResult,
  plots: PlotSpec[],
  metrics?: readonly MetricSpec[],
  signal: (attack: string) => string | undefined = () => undefined,
): Promise<Html> {
  const figs: Html[] = [];
  const n = Math.min(...run.attacks.map((a) => a.samples.member.filter((m) => !m).length), Infinity);
  for (const p of plots) {
    const specs = match(p)
      .with({ kind: 'roc' }, (r) => [
        {
          name: `roc-${r.scale}`,
          spec: rocSpec(
            run.attacks.map((a) => ({ attack: a.name, points: rocPoints(a) })),
            r.scale,
            Number.isFinite(n) ? n : 1000,
            r.scale === 'log' ? 'ROC (log-log)' : 'ROC',
          ),
        },
      ])
      .with({ kind: 'histogram' }, () =>
        run.attacks.map((a) => ({ name: `histogram-${a.name}`, spec: histogramSpec(a, signal(a.name)) })),
      )
      .exhaustive();
    for (const { name, spec } of specs) figs.push(await figure(spec, name));
  }
  const sliced = slicesSpec(run);
  const slices = sliced
    ? html`${slicesSection(run)}<div class="plots">${await figure(sliced, 'slices-auc')}</div>`
    : '';
  return html`${targetTable(run)}\n${metricsTable(run, metrics)}\n${auditSection(run.audit)}\n<div class="plots">${figs}</div>\n${slices}\n${topRecordsSection(run)}`;
}

async function sweepSection(runs: RunResult[]): Promise<Html | ''> {
  const params = [...new Set(runs.flatMap((r) => Object.keys(r.params)))];
  if (runs.length < 2 || params.length === 0) return '';
  const lowest = levelsOf(runs[0]!)[0];
  const figs: Html[] = [];
  for (const p of params) {
    figs.push(
      await figure(
        sweepSpec(runs, p, 'AUC', (a) => a.metrics.auc),
        `sweep-auc-${p}`,
      ),
    );
    if (lowest)
      figs.push(
        await figure(
          sweepSpec(runs, p, `TPR@${pct(lowest)}`, (a) => a.metrics.tprAtFpr[lowest] ?? 0),
          `sweep-tpr-${p}`,
        ),
      );
  }
  if (runs.some((r) => r.target.testAccuracy !== null))
    figs.push(await figure(privacyUtilitySpec(runs), 'privacy-utility'));
  return html`<h2>Sweep</h2><div class="plots">${figs}</div>`;
}

/** Several targets: the privacy–utility scatter at the table's FPR level and one attack's ROC per target, per attack. */
async function targetsFigures(runs: RunResult[], level: string | undefined): Promise<Html | ''> {
  const figs: Html[] = [];
  const tradeoff = level ? targetsTradeoffSpec(runs, level) : null;
  if (tradeoff) figs.push(await figure(tradeoff, 'targets-privacy-utility'));
  const n = Math.min(...runs.flatMap((r) => r.attacks.map((a) => a.samples.member.filter((m) => !m).length)));
  const attacks = [...new Set(runs.flatMap((r) => r.attacks.map((a) => a.name)))];
  for (const [i, name] of attacks.entries()) {
    const curves = rocAcrossTargets(runs, name).map((c) => ({ attack: c.target, points: c.points }));
    const spec = rocSpec(curves, 'log', Number.isFinite(n) ? n : 1000, `${name}: ROC per target (log-log)`, 'target');
    figs.push(await figure(spec, `roc-targets-${i}`));
  }
  return html`<div class="plots">${figs}</div>`;
}

/** The TPR level of the several-targets figures: 1% where the table has it, else its lowest (the declared ones first). */
function tradeoffLevel(levels: string[], metrics: readonly MetricSpec[]): string | undefined {
  const declared = metrics
    .flatMap((m) => (m.kind === 'tprAtFpr' ? [String(m.fpr)] : []))
    .filter((l) => levels.includes(l));
  const pool = declared.length ? declared : levels;
  return pool.includes('0.01') ? '0.01' : pool[0];
}

/**
 * Several targets: privacy and utility side by side, a row per target (and sweep point), with each attack's
 * first two of the report's metrics (AUC and TPR at the figures' level when the spec names none).
 */
export async function targetsSection(runs: RunResult[], metrics: readonly MetricSpec[] = []): Promise<Html | ''> {
  if (new Set(runs.map((r) => r.target.name)).size < 2) return '';
  const attacks = [...new Set(runs.flatMap((r) => r.attacks.map((a) => a.name)))];
  const level = tradeoffLevel(levelsOf(runs[0]!), metrics);
  const shown: Column[] = metrics.length
    ? shownMetrics(metrics.slice(0, 2), [])
    : [{ m: { kind: 'auc' } }, ...(level ? [{ m: { kind: 'tprAtFpr', fpr: Number(level) } as const, level }] : [])];
  const head = [
    'target',
    'defenses',
    'test accuracy',
    'ε',
    ...attacks.flatMap((a) => shown.map((m) => `${a} ${columnHead(m)}`)),
  ];
  const row = (r: RunResult): Html => {
    const params = settings(r.params);
    const cells = [
      `${r.target.name}${params.length ? ` (${params.join(', ')})` : ''}`,
      r.target.defenses?.join(', ') ?? 'none',
      f3(r.target.testAccuracy),
      r.target.privacy ? f3(r.target.privacy.epsilon) : '∞',
      ...attacks.flatMap((name) => {
        const a = r.attacks.find((x) => x.name === name);
        return shown.map((c) =>
          a ? f3(c.level !== undefined ? a.metrics.tprAtFpr[c.level] : metricValue(a.metrics, c.m)) : '-',
        );
      }),
    ];
    return html`<tr>${cells.map((c, i) => (i < 2 ? html`<td class="l">${c}</td>` : html`<td>${c}</td>`))}</tr>`;
  };
  const th = head.map((h, i) => (i < 2 ? html`<th class="l">${h}</th>` : html`<th>${h}</th>`));
  return html`<h2>Privacy and utility per target</h2><table class="metrics targets"><thead><tr>${th}</tr></thead><tbody>${runs.map(row)}</tbody></table>${await targetsFigures(runs, level)}`;
}

export const page = (title: string, body: Html): string =>
  html`<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${raw(CSS)}</style></head><body>\n${body}\n</body></html>\n`
    .text;

/** The whole page. `plots` empty: DEFAULT_PLOTS. */
export async function reportHtml(
  r: ResultsJson,
  plots: readonly PlotSpec[] = [],
  metrics: readonly MetricSpec[] = [],
): Promise<string> {
  const chosen = plots.length ? [...plots] : DEFAULT_PLOTS;
  const runs = r.runs.length;
  const sections: Html[] = [
    html`<h1>mia report: ${r.experiment}</h1>`,
    html`<p class="meta">seed ${r.seed} · backend ${r.backend} · mia ${r.mia} · ${runs} run${runs === 1 ? '' : 's'}. Intervals are 95% bootstrap intervals; ROC axes are log-log unless the spec says roc(linear); the dashed line is random guessing.</p>`,
    // The verdicts first: what a CI reader wants to know.
    html`${expectationsHtml(r)}`,
    html`${await sweepSection(r.runs)}`,
    html`${await targetsSection(r.runs, metrics)}`,
  ];
  const several = new Set(r.runs.map((run) => run.target.name)).size > 1;
  for (const run of r.runs) {
    const params = settings(run.params);
    if (several) params.unshift(`target ${run.target.name}`);
    sections.push(params.length ? html`<h2>${params.join(', ')}</h2>` : html`<h2>Results</h2>`);
    sections.push(await runSection(run, chosen, metrics, (a) => signalOf(r, a)));
  }
  return page(`mia report: ${r.experiment}`, joinHtml(sections, '\n'));
}

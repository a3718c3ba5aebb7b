/**
 * The report's plots as vega-lite 5 specs, compiled to vega and rendered to SVG in Node (no browser,
 * no network): ROC curves (log-log as in the LiRA paper, with the random-guess diagonal, or linear),
 * score histograms of members and non-members, and for sweeps a metric against the swept setting and
 * privacy (AUC) against utility (the target's test accuracy).
 */
import type { TopLevelSpec } from 'vega-lite';
import { roc } from '../metrics/index.js';
import type { AttackResult, RunResult } from './results.js';

type Row = Record<string, number | string>;

/**
 * A name from results.json as a title or axis title of a plot. vega-lite copies titles into vega
 * expressions (the ARIA descriptions) without escaping backslashes or line separators, so a quote, a
 * backslash, a control or line-separator character there breaks the expression or writes code into
 * it: each such character is drawn as `?`. Names that are data values (legend entries) need none of this.
 */
export const plotText = (s: string): string =>
  String(s).replace(/[^\p{L}\p{M}\p{N}\p{Zs}!#$%&()*+,\-./:;<=>?@[\]^_{|}~]/gu, '?');

/** vega and vega-lite load when the first plot is drawn: commands that draw none do not pay for them. */
let renderers: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

/** An SVG string of a vega-lite spec. */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  renderers ??= Promise.all([import('vega'), import('vega-lite')]);
  const [vega, vl] = await renderers;
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  config: { font: 'sans-serif', legend: { orient: 'bottom', columns: 2 }, view: { stroke: '#ccc' } },
} as const;

/** A ROC curve's points (at most `max`, every distinct FPR kept at the low end where log axes look). */
export function rocPoints(a: Pick<AttackResult, 'samples'>, max = 400): { fpr: number; tpr: number }[] {
  const finite = a.samples.score.map((s) => (Number.isFinite(s) ? s : s > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE));
  const c = roc(finite, a.samples.member);
  const pts: { fpr: number; tpr: number }[] = [];
  const step = Math.max(1, Math.floor(c.fpr.length / max));
  for (let i = 0; i < c.fpr.length; i++)
    if (i < max / 2 || i % step === 0 || i === c.fpr.length - 1) pts.push({ fpr: c.fpr[i]!, tpr: c.tpr[i]! });
  return pts;
}

/** The smallest positive rate a sample of n records can show: the log axes start one decade below. */
const floorOf = (n: number): number => 10 ** Math.floor(Math.log10(1 / Math.max(1, n)));

/** ROC curves of every attack of a run; `curves` may add a second set (dashed), e.g. a baseline run. */
export function rocSpec(
  curves: { attack: string; run?: string; points: { fpr: number; tpr: number }[] }[],
  scale: 'log' | 'linear',
  n: number,
  title: string,
  legend = 'attack',
): TopLevelSpec {
  const log = scale === 'log';
  const lo = log ? floorOf(n) : 0;
  const values: Row[] = [];
  for (const c of curves)
    for (const p of c.points)
      if (!log || (p.fpr > 0 && p.tpr > 0)) values.push({ attack: c.attack, run: c.run ?? '', fpr: p.fpr, tpr: p.tpr });
  const axis = (t: string) => ({ title: t, ...(log ? { format: '~e' } : {}) });
  const sc = { type: scale, domain: [lo, 1], clamp: true, nice: false };
  const runs = new Set(curves.map((c) => c.run ?? ''));
  return {
    ...base,
    title: plotText(title), // it may hold an attack's or a target's name
    width: 320,
    height: 320,
    layer: [
      {
        data: {
          values: [
            { fpr: lo, tpr: lo },
            { fpr: 1, tpr: 1 },
          ],
        },
        mark: { type: 'line', strokeDash: [4, 4], color: '#888' },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', scale: sc },
          y: { field: 'tpr', type: 'quantitative', scale: sc },
        },
      },
      {
        data: { values },
        mark: { type: 'line', clip: true },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', scale: sc, axis: axis('false positive rate') },
          y: { field: 'tpr', type: 'quantitative', scale: sc, axis: axis('true positive rate') },
          color: {
            field: 'attack',
            type: 'nominal',
            title: plotText(legend),
            ...(curves.length > 10 ? { scale: { scheme: 'tableau20' } } : {}),
          },
          // curves named by their run (compare's small multiples): one legend of colour and dash
          ...(runs.size > 1
            ? { strokeDash: { field: legend === 'run' ? 'attack' : 'run', type: 'nominal', title: 'run' } }
            : {}),
          detail: { field: 'run' },
        },
      },
    ],
  } as TopLevelSpec;
}

/**
 * How a histogram draws an attack's scores. Scores that are all ≤ 0 and span more than three decades
 * (a loss or an entropy, negated) are drawn as log₁₀ of −score, so the bulk near 0 is seen; a
 * distribution with one bar holding more than 30% of the records gets a symlog count axis, so the
 * other bars stay visible.
 */
export function histogramScale(score: readonly number[]): 'log' | 'linear' {
  const s = score.filter((x) => Math.abs(x) < Number.MAX_VALUE);
  if (!s.length || s.some((x) => x > 0)) return 'linear';
  const neg = s.map((x) => -x).filter((x) => x > 0);
  if (!neg.length) return 'linear';
  return Math.max(...neg) / Math.min(...neg) > 1e3 ? 'log' : 'linear';
}

/** The share of records in the fullest of `bins` equal bins over [lo, hi]. */
function fullestBin(values: readonly number[], lo: number, hi: number, bins: number): number {
  const counts = new Array<number>(bins).fill(0);
  const w = (hi - lo) / bins || 1;
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / w)))]!++;
  return Math.max(...counts) / Math.max(1, values.length);
}

/** 0 and the powers of ten up to `top`: the ticks of a symlog count axis. */
export const decades = (top: number): number[] => {
  const out = [0];
  for (let p = 1; p <= Math.max(1, top); p *= 10) out.push(p);
  return out;
};

/** Histogram of one attack's scores, members and non-members overlaid; the outer 0.5% are clamped in. */
/** The scores as drawn (clamped to their 0.5%–99.5% quantiles), where to bin them, and the fullest bin's share. */
function binned(score: readonly number[], shown: (x: number) => number) {
  const all = score.map(shown);
  const sorted = all.filter((x) => Math.abs(x) < Number.MAX_VALUE).sort((x, y) => x - y);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const [lo, hi] = [q(0.005), q(0.995)];
  const clamped = all.map((x) => Math.min(hi, Math.max(lo, x)));
  return { clamped, lo, hi, spiky: fullestBin(clamped, lo, hi, 40) };
}

/** sign(x)·log₁₀(1 + |x|): a heavy-tailed score of either sign (LiRA's with few shadows) spread over its decades. */
const signedLog = (x: number): number => Math.sign(x) * Math.log10(1 + Math.min(Number.MAX_VALUE, Math.abs(x)));

export function histogramSpec(a: AttackResult, signal?: string): TopLevelSpec {
  const log = histogramScale(a.samples.score) === 'log';
  const finiteNeg = a.samples.score.filter((x) => x < 0 && Math.abs(x) < Number.MAX_VALUE).map((x) => -x);
  const tiny = finiteNeg.length ? Math.min(...finiteNeg) : 1;
  const shown = (x: number): number => (log ? Math.log10(Math.max(tiny, Math.min(Number.MAX_VALUE, -x))) : x);
  let b = binned(a.samples.score, shown);
  // most records in one bar of a linear axis, the rest decades away: drawn on a signed log axis instead
  const spread = !log && b.spiky > 0.5 && Math.max(Math.abs(b.lo), Math.abs(b.hi)) > 1e3;
  if (spread) b = binned(a.samples.score, signedLog);
  const { lo, hi, spiky } = b;
  const values = b.clamped.map((score, i) => ({ score, who: a.samples.member[i] ? 'member' : 'non-member' }));
  const title = log
    ? `log₁₀ ${signal === 'loss' ? 'loss' : '(−score)'}`
    : spread
      ? 'sign · log₁₀(1 + |score|)'
      : 'score';
  return {
    ...base,
    title: plotText(`${a.name} (${a.kind})`),
    width: 260,
    height: 160,
    data: { values },
    mark: { type: 'bar', opacity: 0.55, binSpacing: 0 },
    encoding: {
      x: {
        field: 'score',
        type: 'quantitative',
        bin: { maxbins: 40, extent: [lo, hi === lo ? lo + 1 : hi] },
        title,
      },
      y: {
        aggregate: 'count',
        type: 'quantitative',
        stack: null,
        title: spiky > 0.3 ? 'records (symlog)' : 'records',
        // symlog: ticks at 0 and the powers of ten (vega's own crowd at the top of the axis)
        ...(spiky > 0.3 ? { scale: { type: 'symlog' }, axis: { values: decades(spiky * values.length) } } : {}),
      },
      color: {
        field: 'who',
        type: 'nominal',
        title: null,
        scale: { domain: ['member', 'non-member'], range: ['#d62728', '#1f77b4'] },
      },
    },
  } as TopLevelSpec;
}

/** A metric of every attack against one swept setting (numeric settings on a linear axis). */
export function sweepSpec(
  runs: RunResult[],
  param: string,
  metric: string,
  pick: (a: AttackResult) => number,
): TopLevelSpec {
  const numeric = runs.every((r) => typeof r.params[param] === 'number');
  // an integer setting (a count, a size, epochs) gets integer ticks: no "1.5 shadow models"
  const integer = numeric && runs.every((r) => Number.isInteger(r.params[param]));
  const values = runs.flatMap((r) =>
    r.attacks.map((a) => ({ setting: r.params[param]!, attack: a.name, value: pick(a) })),
  );
  return {
    ...base,
    title: plotText(`${metric} against ${param}`),
    width: 320,
    height: 220,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'setting',
        type: numeric ? 'quantitative' : 'ordinal',
        title: plotText(param),
        ...(integer ? { axis: { values: [...new Set(values.map((v) => v.setting))], format: 'd' } } : {}),
      },
      y: { field: 'value', type: 'quantitative', title: plotText(metric) },
      color: { field: 'attack', type: 'nominal' },
    },
  } as TopLevelSpec;
}

/** Privacy against utility: each sweep point's attack AUC against the target's test accuracy. */
export function privacyUtilitySpec(runs: RunResult[]): TopLevelSpec {
  const values = runs.flatMap((r) =>
    r.target.testAccuracy === null
      ? []
      : r.attacks.map((a) => ({
          accuracy: r.target.testAccuracy!,
          auc: a.metrics.auc,
          attack: a.name,
          point: Object.entries(r.params)
            .map(([k, v]) => `${k}=${v}`)
            .join(', '),
        })),
  );
  return {
    ...base,
    title: 'privacy (attack AUC) against utility (test accuracy)',
    width: 320,
    height: 220,
    data: { values },
    mark: { type: 'point', filled: true, size: 60 },
    encoding: {
      x: {
        field: 'accuracy',
        type: 'quantitative',
        scale: { zero: false, padding: 10 },
        title: 'target test accuracy',
      },
      y: { field: 'auc', type: 'quantitative', scale: { zero: false, padding: 10 }, title: 'attack AUC' },
      color: { field: 'attack', type: 'nominal' },
      tooltip: [{ field: 'point' }],
    },
  } as TopLevelSpec;
}

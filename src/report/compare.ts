/**
 * Two runs side by side: per sweep point (matched by its settings) the targets' accuracies and, per attack
 * (by name), each metric in A and in B and the change, with 95% intervals for A, B and B − A from a paired
 * bootstrap (compare-bootstrap.ts); a change is marked only where its interval excludes 0. A terminal
 * table and a page (ROC curves as small multiples, one per attack).
 */
import { type Html, html, joinHtml, oneLine } from '../util/escape.js';
import type { Interval } from '../metrics/bootstrap.js';
import { COMPARE_BOOTSTRAP, compareIntervals } from './compare-bootstrap.js';
import { figure, page } from './html.js';
import { rocPoints, rocSpec } from './plots.js';
import type { AttackResult, Provenance, ResultsJson, RunResult } from './results.js';

export interface MetricChange {
  point: string; // the sweep point's settings, "" without a sweep
  attack: string; // an attack's name, or `target NAME` for the target's accuracies
  metric: string;
  a: number | null; // null: not in that run
  b: number | null;
  /** 95% intervals of A, B and B − A from the paired bootstrap (COMPARE_BOOTSTRAP); null where there is none. */
  ciA: Interval | null;
  ciB: Interval | null;
  ciDelta: Interval | null;
  /** Whether the bootstrap drew the same records for A and B (both scored the same candidates); null: no bootstrap. */
  paired: boolean | null;
  /** The interval of B − A excludes 0: a change the resampling does not explain. */
  separated: boolean;
  /**
   * Why A's or B's value is not a measurement (its run's flag: every score equal or not finite, a TPR level
   * below 1/non-members), or null; a flagged value is marked, and no change is computed from it.
   */
  flagA?: string | null;
  flagB?: string | null;
}

/** A run's sweep point, and its target's name where a side has several targets (one run per target and point). */
const pointKey = (r: RunResult, byTarget: boolean): string =>
  [...(byTarget ? [['target', r.target.name] as const] : []), ...Object.entries(r.params)]
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');

const severalTargets = (x: ResultsJson): boolean => new Set(x.runs.map((r) => r.target.name)).size > 1;

type Pick = { name: string; level: string | null; value: (a: AttackResult) => number | undefined };

/** The reason of the run's flag that makes this metric not a measurement (a flag of every level, or of this one), or null. */
function flagOf(x: AttackResult | undefined, level: string | null): string | null {
  const flags = x?.metrics.flags ?? [];
  return flags.find((g) => g.levels === undefined || (level !== null && g.levels.includes(level)))?.reason ?? null;
}

/** The FPR levels either side has, in increasing order. */
const levelsOf = (a?: AttackResult, b?: AttackResult): string[] =>
  [...new Set([a, b].flatMap((x) => (x ? Object.keys(x.metrics.tprAtFpr) : [])))].sort((x, y) => Number(x) - Number(y));

/** The metrics compared, in the order compareIntervals resamples them: AUC, each level's TPR, bal.acc, advantage. */
function metricsOf(levels: string[]): Pick[] {
  return [
    { name: 'AUC', level: null, value: (x) => x.metrics.auc },
    ...levels.map(
      (l): Pick => ({
        name: `TPR@${+(Number(l) * 100).toPrecision(6)}%`,
        level: l,
        value: (x) => x.metrics.tprAtFpr[l],
      }),
    ),
    { name: 'bal.acc', level: null, value: (x) => x.metrics.balancedAccuracy },
    { name: 'advantage', level: null, value: (x) => x.metrics.advantage },
  ];
}

/**
 * Pairs of runs (by sweep point, and by target where either side has several) and attacks (by name); what
 * only one side has is paired with nothing.
 */
function pairs(A: ResultsJson, B: ResultsJson): { point: string; ra?: RunResult; rb?: RunResult }[] {
  const byTarget = severalTargets(A) || severalTargets(B);
  const key = (r: RunResult) => pointKey(r, byTarget);
  const keys = [...new Set([...A.runs.map(key), ...B.runs.map(key)])];
  return keys.map((point) => ({
    point,
    ra: A.runs.find((r) => key(r) === point),
    rb: B.runs.find((r) => key(r) === point),
  }));
}

/** The targets' train and test accuracy at a point, A and B (no interval: results.json keeps no per-record correctness). */
function targetRows(point: string, ra?: RunResult, rb?: RunResult): MetricChange[] {
  const name =
    ra?.target.name === rb?.target.name || !rb
      ? ra?.target.name
      : !ra
        ? rb.target.name
        : `${ra.target.name} / ${rb.target.name}`;
  const row = (metric: string, v: (r: RunResult) => number | null): MetricChange => ({
    point,
    attack: `target ${name}`,
    metric,
    a: ra ? v(ra) : null,
    b: rb ? v(rb) : null,
    ciA: null,
    ciB: null,
    ciDelta: null,
    paired: null,
    separated: false,
  });
  return [row('test accuracy', (r) => r.target.testAccuracy), row('train accuracy', (r) => r.target.trainAccuracy)];
}

/** One attack at one point: each metric in A and B with the bootstrap's intervals. */
function attackRows(point: string, attack: string, a?: AttackResult, b?: AttackResult): MetricChange[] {
  const levels = levelsOf(a, b);
  const ci = a && b ? compareIntervals(a.samples, b.samples, levels.map(Number)) : null;
  return metricsOf(levels).map((m, i) => {
    const c = ci?.metrics[i];
    const flagA = flagOf(a, m.level);
    const flagB = flagOf(b, m.level);
    return {
      point,
      attack,
      metric: m.name,
      a: a ? (m.value(a) ?? null) : null,
      b: b ? (m.value(b) ?? null) : null,
      ciA: c?.a ?? null,
      ciB: c?.b ?? null,
      ciDelta: c?.delta ?? null,
      paired: ci ? ci.paired : null,
      separated: Boolean(c && !flagA && !flagB && (c.delta[0] > 0 || c.delta[1] < 0)),
      flagA,
      flagB,
    };
  });
}

export function compareResults(A: ResultsJson, B: ResultsJson): MetricChange[] {
  const out: MetricChange[] = [];
  for (const { point, ra, rb } of pairs(A, B)) {
    out.push(...targetRows(point, ra, rb));
    const names = [...new Set([...(ra?.attacks ?? []), ...(rb?.attacks ?? [])].map((a) => a.name))];
    for (const attack of names)
      out.push(
        ...attackRows(
          point,
          attack,
          ra?.attacks.find((x) => x.name === attack),
          rb?.attacks.find((x) => x.name === attack),
        ),
      );
  }
  return out;
}

const f = (v: number | null): string => (v === null ? '-' : v.toFixed(4));
const iv = (i: Interval | null): string => (i ? ` [${i[0].toFixed(4)}, ${i[1].toFixed(4)}]` : '');
const signed = (v: number): string => {
  const d = v.toFixed(4).replace(/^-(0\.0+)$/, '$1');
  return `${d.startsWith('-') ? '' : '+'}${d}`;
};
/** A flagged value's mark: `!` when no metric of the run is a measurement, `?` for a TPR level below 1/non-members. */
const mark = (flag: string | null | undefined): string => (!flag ? '' : flag === 'tpr_at_zero_fp' ? '?' : '!');
const flagged = (c: MetricChange): boolean => Boolean(c.flagA || c.flagB);
/** B − A to 4 places ("+0.0000" when it rounds to zero either way), `*` where its interval excludes 0. */
function delta(c: MetricChange): string {
  if (c.a === null || c.b === null || flagged(c)) return 'n/a';
  return `${signed(c.b - c.a)}${c.separated ? ' *' : ''}`;
}
const deltaCi = (c: MetricChange): string =>
  c.ciDelta && !flagged(c) ? ` [${signed(c.ciDelta[0])}, ${signed(c.ciDelta[1])}]` : '';

/** How the intervals were made, in one sentence (the resamples and the seed; paired or not). */
export function bootstrapNote(changes: readonly MetricChange[]): string {
  const paired = changes.filter((c) => c.paired !== null);
  if (!paired.length) return 'No intervals: no attack is in both runs.';
  const how = paired.every((c) => c.paired)
    ? 'paired (both runs scored the same records; each resample draws the same records for A and B)'
    : paired.some((c) => c.paired)
      ? 'paired where both runs scored the same records, else A and B resampled independently'
      : 'A and B resampled independently (the runs scored different records)';
  const { resamples, seed, level } = COMPARE_BOOTSTRAP;
  return `Intervals: ${level * 100}% stratified bootstrap, ${how}; ${resamples} resamples, seed ${seed}. * the interval of B − A excludes 0.`;
}

/** What the marks of flagged values mean, for the marks the table shows. */
function flagNotes(changes: readonly MetricChange[]): string[] {
  const reasons = changes.flatMap((c) => [c.flagA, c.flagB]).filter((r): r is string => Boolean(r));
  return [
    ...(reasons.some((r) => r !== 'tpr_at_zero_fp')
      ? [
          '! not a measurement: every score of the attack is equal or not finite (see its run); no change is computed from it.',
        ]
      : []),
    ...(reasons.includes('tpr_at_zero_fp')
      ? [
          '? not a measurement: the FPR level is below 1/(non-members), so this is TPR at zero false positives; no change is computed from it.',
        ]
      : []),
  ];
}

/** The terminal's table: one row per target accuracy, attack and metric, with A, B and B − A and their intervals. */
export function compareTable(changes: MetricChange[], nameA: string, nameB: string, what: string[] = []): string {
  const lines: string[] = [`A: ${nameA}`, `B: ${nameB}`];
  if (what.length) lines.push('', 'what changed:', ...what.map((l) => `  ${l}`));
  let point: string | null = null;
  const rows = changes.map((c) => [
    oneLine(c.attack),
    c.metric,
    `${f(c.a)}${mark(c.flagA)}${iv(c.ciA)}`,
    `${f(c.b)}${mark(c.flagB)}${iv(c.ciB)}`,
    `${delta(c)}${deltaCi(c)}`,
  ]);
  const head = ['attack', 'metric', 'A', 'B', 'B - A'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string =>
    r
      .map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!)))
      .join('  ')
      .trimEnd();
  changes.forEach((c, i) => {
    if (c.point !== point) {
      point = c.point;
      lines.push(
        '',
        ...(c.point ? [`sweep point: ${oneLine(c.point)}`] : []),
        fmt(head),
        w.map((x) => '-'.repeat(x)).join('  '),
      );
    }
    lines.push(fmt(rows[i]!));
  });
  lines.push('', bootstrapNote(changes), ...flagNotes(changes));
  return lines.join('\n');
}

const ciHtml = (i: Interval | null, sign = false): Html | '' =>
  i
    ? html` <span class="ci">[${sign ? signed(i[0]) : i[0].toFixed(4)}, ${sign ? signed(i[1]) : i[1].toFixed(4)}]</span>`
    : '';

/** A row of the page's table: coloured (red up, green down) only where the interval of B − A excludes 0. */
function changeRow(c: MetricChange): Html {
  const cls = !c.separated || c.a === null || c.b === null ? 'same' : c.b > c.a ? 'up' : 'down';
  return html`<tr><td>${c.attack}</td><td class="l">${c.metric}</td><td>${f(c.a)}${mark(c.flagA)}${ciHtml(c.ciA)}</td><td>${f(c.b)}${mark(c.flagB)}${ciHtml(c.ciB)}</td><td class="${cls}">${delta(c)}${flagged(c) ? '' : ciHtml(c.ciDelta, true)}</td></tr>`;
}

/** Per attack, its ROC in A (dashed) and B (solid): small multiples, two curves each, readable however many attacks. */
async function rocMultiples(ra?: RunResult, rb?: RunResult): Promise<Html[]> {
  const names = [...new Set([...(ra?.attacks ?? []), ...(rb?.attacks ?? [])].map((a) => a.name))];
  const figs: Html[] = [];
  for (const [i, name] of names.entries()) {
    const sides = [
      ['A', ra?.attacks.find((a) => a.name === name)],
      ['B', rb?.attacks.find((a) => a.name === name)],
    ] as const;
    const curves = sides.flatMap(([run, a]) => (a ? [{ attack: run, run, points: rocPoints(a) }] : []));
    const n = Math.max(1, ...sides.map(([, a]) => (a ? a.samples.member.filter((m) => !m).length : 0)));
    figs.push(await figure(rocSpec(curves, 'log', n, `${name}: ROC (log-log), A and B`, 'run'), `roc-compare-${i}`));
  }
  return figs;
}

/** The comparison as a page: the table and, per sweep point, each attack's ROC in A and B. */
export async function compareHtml(
  A: ResultsJson,
  B: ResultsJson,
  nameA: string,
  nameB: string,
  changes: MetricChange[] = compareResults(A, B),
): Promise<string> {
  const body: Html[] = [
    html`<h1>mia compare</h1><p class="meta">A: ${nameA} (${A.experiment})<br>B: ${nameB} (${B.experiment})</p>`,
  ];
  const what = provenanceChanges(A, B);
  if (what.length) body.push(html`<h2>What changed</h2><ul>${what.map((l) => html`<li>${l}</li>`)}</ul>`);
  body.push(
    html`<p class="meta">${bootstrapNote(changes)} Red: B leaks more than A; green: less; uncoloured: the interval of B − A holds 0.</p>`,
    ...flagNotes(changes).map((n) => html`<p class="meta">${n}</p>`),
  );
  for (const { point, ra, rb } of pairs(A, B)) {
    body.push(html`<h2>${point || 'Results'}</h2>`);
    const rows = changes.filter((c) => c.point === point).map(changeRow);
    body.push(
      html`<table class="compare"><thead><tr><th>attack</th><th class="l">metric</th><th>A</th><th>B</th><th>B − A</th></tr></thead><tbody>${rows}</tbody></table>`,
    );
    const figs = await rocMultiples(ra, rb);
    if (figs.length) body.push(html`<div class="plots">${figs}</div>`);
  }
  return page('mia compare', joinHtml(body, '\n'));
}

/** Lines added and removed from `a` to `b` (a longest common subsequence of lines; counts by line beyond 2,000 lines). */
export function lineChanges(a: string, b: string): { added: number; removed: number } {
  const x = a.split('\n'),
    y = b.split('\n');
  if (x.length > 2000 || y.length > 2000) {
    const left = new Map<string, number>();
    for (const l of x) left.set(l, (left.get(l) ?? 0) + 1);
    let common = 0;
    for (const l of y) if ((left.get(l) ?? 0) > 0) left.set(l, left.get(l)! - 1), common++;
    return { added: y.length - common, removed: x.length - common };
  }
  let prev = new Uint32Array(y.length + 1);
  for (const lx of x) {
    const row = new Uint32Array(y.length + 1);
    for (let j = 0; j < y.length; j++) row[j + 1] = lx === y[j] ? prev[j]! + 1 : Math.max(prev[j + 1]!, row[j]!);
    prev = row;
  }
  const common = prev[y.length]!;
  return { added: y.length - common, removed: x.length - common };
}

/** A section of resolved settings as dotted paths (`targets.victim.defenses.0.settings.noise`) to JSON values. */
function flatten(prefix: string, v: unknown, out: Map<string, string>): void {
  if (v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)) {
    for (const [k, x] of Object.entries(v)) flatten(`${prefix}.${k}`, x, out);
  } else out.set(prefix, JSON.stringify(v));
}

function flatSettings(p: Provenance): Map<string, string> {
  const out = new Map<string, string>();
  for (const [section, entries] of Object.entries(p.settings))
    for (const e of entries) flatten(`${section}.${String(e.name ?? '?')}`, { ...e, name: undefined }, out);
  return out;
}

/** Settings that differ between two runs: "path: A → B", "path: only in A/B". */
function settingChanges(a: Provenance, b: Provenance): string[] {
  const fa = flatSettings(a),
    fb = flatSettings(b);
  const out: string[] = [];
  for (const k of new Set([...fa.keys(), ...fb.keys()])) {
    const va = fa.get(k),
      vb = fb.get(k);
    if (va === vb) continue;
    out.push(`setting ${k}: ${va ?? '(absent)'} → ${vb ?? '(absent)'}`);
  }
  return out;
}

/** The spec's text and its imports: what changed, by file. */
function specChanges(a: Provenance, b: Provenance): string[] {
  const out: string[] = [];
  const [ma, mb] = [a.spec.files[0], b.spec.files[0]];
  const [na, nb] = [ma?.path ?? a.spec.path, mb?.path ?? b.spec.path];
  const where = na === nb ? na : `${na} → ${nb}`;
  if (a.spec.sha256 === b.spec.sha256) out.push(`spec: the same text (${where})`);
  else if (ma && mb) {
    const d = lineChanges(ma.text, mb.text);
    out.push(`spec: ${where}, ${d.added} line${d.added === 1 ? '' : 's'} added, ${d.removed} removed`);
  } else out.push(`spec: ${where}, another text`);
  const fa = new Map(a.spec.files.slice(1).map((f) => [f.path, f]));
  const fb = new Map(b.spec.files.slice(1).map((f) => [f.path, f]));
  for (const path of new Set([...fa.keys(), ...fb.keys()])) {
    const x = fa.get(path),
      y = fb.get(path);
    if (!x) out.push(`import ${path}: only in B`);
    else if (!y) out.push(`import ${path}: only in A`);
    else if (x.sha256 !== y.sha256) {
      const d = lineChanges(x.text, y.text);
      out.push(`import ${path}: ${d.added} line${d.added === 1 ? '' : 's'} added, ${d.removed} removed`);
    }
  }
  return out;
}

const MAX_SETTING_LINES = 20;

/**
 * What differs between the runs behind two results.json, from their provenance, before the metrics: the
 * spec's text and imports, the resolved settings, the seed, mia's version, the backend and the git revision.
 */
export function provenanceChanges(A: ResultsJson, B: ResultsJson): string[] {
  const out: string[] = [];
  const same = <T>(what: string, a: T, b: T) => {
    if (a !== b) out.push(`${what}: ${String(a)} → ${String(b)}`);
  };
  same('experiment', A.experiment, B.experiment);
  same('seed', A.seed, B.seed);
  same('mia', A.mia, B.mia);
  same('backend', A.backend, B.backend);
  const [a, b] = [A.provenance, B.provenance];
  if (!a || !b) {
    for (const [n, p] of [
      ['A', a],
      ['B', b],
    ] as const)
      if (!p) out.push(`${n} records no provenance (written by mia attack or an older mia): no spec to compare`);
    return out;
  }
  out.unshift(...specChanges(a, b));
  const settings = settingChanges(a, b);
  out.push(...settings.slice(0, MAX_SETTING_LINES));
  if (settings.length > MAX_SETTING_LINES) out.push(`… and ${settings.length - MAX_SETTING_LINES} more settings`);
  const rev = (p: Provenance) =>
    p.invocation.git
      ? `${p.invocation.git.revision.slice(0, 12)}${p.invocation.git.dirty ? ' (spec modified)' : ''}`
      : 'none';
  same('git revision', rev(a), rev(b));
  return out;
}

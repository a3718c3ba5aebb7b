/**
 * Two runs side by side: per sweep point (matched by its settings) and attack (by name), each metric in
 * A and in B and the change, marked where the 95% intervals do not overlap. A terminal table and a page.
 */
import { type Html, html, joinHtml, raw } from '../util/escape.js';
import { page } from './html.js';
import { rocPoints, rocSpec, toSvg } from './plots.js';
import type { AttackResult, Provenance, ResultsJson, RunResult } from './results.js';

export interface MetricChange {
  point: string; // the sweep point's settings, "" without a sweep
  attack: string;
  metric: string;
  a: number | null; // null: not in that run
  b: number | null;
  /** Both intervals known and disjoint. */
  separated: boolean;
}

/** A run's sweep point, and its target's name where a side has several targets (one run per target and point). */
const pointKey = (r: RunResult, byTarget: boolean): string =>
  [...(byTarget ? [['target', r.target.name] as const] : []), ...Object.entries(r.params)]
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');

const severalTargets = (x: ResultsJson): boolean => new Set(x.runs.map((r) => r.target.name)).size > 1;

type Pick = {
  name: string;
  value: (a: AttackResult) => number | undefined;
  ci?: (a: AttackResult) => [number, number] | undefined;
};

function metricsOf(a?: AttackResult, b?: AttackResult): Pick[] {
  const levels = [...new Set([a, b].flatMap((x) => (x ? Object.keys(x.metrics.tprAtFpr) : [])))].sort(
    (x, y) => Number(x) - Number(y),
  );
  return [
    { name: 'AUC', value: (x) => x.metrics.auc, ci: (x) => x.metrics.ci?.auc },
    ...levels.map(
      (l): Pick => ({
        name: `TPR@${+(Number(l) * 100).toPrecision(6)}%`,
        value: (x) => x.metrics.tprAtFpr[l],
        ci: (x) => x.metrics.ci?.tprAtFpr[l],
      }),
    ),
    { name: 'bal.acc', value: (x) => x.metrics.balancedAccuracy },
    { name: 'advantage', value: (x) => x.metrics.advantage },
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

export function compareResults(A: ResultsJson, B: ResultsJson): MetricChange[] {
  const out: MetricChange[] = [];
  for (const { point, ra, rb } of pairs(A, B)) {
    const names = [...new Set([...(ra?.attacks ?? []), ...(rb?.attacks ?? [])].map((a) => a.name))];
    for (const attack of names) {
      const a = ra?.attacks.find((x) => x.name === attack);
      const b = rb?.attacks.find((x) => x.name === attack);
      for (const m of metricsOf(a, b)) {
        const ia = a && m.ci?.(a);
        const ib = b && m.ci?.(b);
        out.push({
          point,
          attack,
          metric: m.name,
          a: a ? (m.value(a) ?? null) : null,
          b: b ? (m.value(b) ?? null) : null,
          separated: Boolean(ia && ib && (ia[1] < ib[0] || ib[1] < ia[0])),
        });
      }
    }
  }
  return out;
}

const f = (v: number | null): string => (v === null ? '-' : v.toFixed(4));
/** B − A to 4 places ("+0.0000" when it rounds to zero either way), `*` where the intervals are disjoint. */
function delta(c: MetricChange): string {
  if (c.a === null || c.b === null) return 'n/a';
  const d = (c.b - c.a).toFixed(4).replace(/^-(0\.0+)$/, '$1');
  return `${d.startsWith('-') ? '' : '+'}${d}${c.separated ? ' *' : ''}`;
}

/** The terminal's table: one row per attack and metric, with A, B and B − A (`*`: intervals disjoint). */
export function compareTable(changes: MetricChange[], nameA: string, nameB: string, what: string[] = []): string {
  const lines: string[] = [`A: ${nameA}`, `B: ${nameB}`];
  if (what.length) lines.push('', 'what changed:', ...what.map((l) => `  ${l}`));
  let point: string | null = null;
  const rows = changes.map((c) => [c.attack, c.metric, f(c.a), f(c.b), delta(c)]);
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
        ...(c.point ? [`sweep point: ${c.point}`] : []),
        fmt(head),
        w.map((x) => '-'.repeat(x)).join('  '),
      );
    }
    lines.push(fmt(rows[i]!));
  });
  lines.push('', '* the 95% intervals of A and B do not overlap');
  return lines.join('\n');
}

/** The comparison as a page: the table and, per sweep point, both runs' ROC curves (B solid, A dashed). */
export async function compareHtml(A: ResultsJson, B: ResultsJson, nameA: string, nameB: string): Promise<string> {
  const changes = compareResults(A, B);
  const body: Html[] = [
    html`<h1>mia compare</h1><p class="meta">A: ${nameA} (${A.experiment})<br>B: ${nameB} (${B.experiment})</p>`,
  ];
  const what = provenanceChanges(A, B);
  if (what.length) body.push(html`<h2>What changed</h2><ul>${what.map((l) => html`<li>${l}</li>`)}</ul>`);
  for (const { point, ra, rb } of pairs(A, B)) {
    body.push(html`<h2>${point || 'Results'}</h2>`);
    const rows = changes
      .filter((c) => c.point === point)
      .map(
        (c) =>
          html`<tr><td>${c.attack}</td><td class="l">${c.metric}</td><td>${f(c.a)}</td><td>${f(c.b)}</td><td class="${c.a !== null && c.b !== null && c.b > c.a ? 'up' : 'down'}">${delta(c)}</td></tr>`,
      );
    body.push(
      html`<table><thead><tr><th>attack</th><th class="l">metric</th><th>A</th><th>B</th><th>B − A</th></tr></thead><tbody>${rows}</tbody></table>`,
    );
    const curves = [
      ...(ra?.attacks ?? []).map((a) => ({ attack: a.name, run: 'A', points: rocPoints(a) })),
      ...(rb?.attacks ?? []).map((a) => ({ attack: a.name, run: 'B', points: rocPoints(a) })),
    ];
    const n = Math.max(1, ...[...(ra?.attacks ?? []), ...(rb?.attacks ?? [])].map((a) => a.samples.member.length / 2));
    if (curves.length) {
      const svg = await toSvg(rocSpec(curves, 'log', n, 'ROC (log-log), A and B'));
      body.push(html`<div class="plots"><figure class="plot" data-plot="roc-compare">${raw(svg)}</figure></div>`);
    }
  }
  body.push(html`<p class="meta">Changes marked * have disjoint 95% bootstrap intervals.</p>`);
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

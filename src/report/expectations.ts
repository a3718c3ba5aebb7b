/**
 * Judging a run against its expectations (`expect { lira.tpr@0.1% < 2% }`): each expectation on each
 * sweep point, with the value it saw. A value that is missing or not a number (an undefined
 * vulnerability, a metric the run did not compute) fails: a gate passes only on what it measured.
 * `mia run` exits with EXPECTATIONS_FAILED when any expectation fails.
 */
import {
  compare,
  resolveExpectation,
  type ExpectationDef,
  type ExpectSubject,
  type TypedProgram,
} from '../check/index.js';
import type { ResultsJson, RunResult } from './results.js';
import { sliceVerdict, summaryValue } from './slice-expectations.js';
import { clip } from '../lang/index.js';
import { type Html, html, oneLine } from '../util/escape.js';

/** The exit code of a complete run in which an expectation failed (0: all hold; 1, 2 as before). */
export const EXPECTATIONS_FAILED = 3;

export interface ExpectationPoint {
  params: Record<string, number | string>;
  value: number | null;
  holds: boolean;
  /** Over slices (`lira[class]…`): the slice that decides the point ("class 3", "sex = F"), and why it has no value. */
  slice?: string;
  reason?: string;
}

export interface ExpectationResult {
  /** As written in the spec, canonical: `lira.tpr@0.1% < 2%`. */
  expectation: string;
  /** Whether it holds at every sweep point (at the one point without a sweep). */
  holds: boolean;
  points: ExpectationPoint[];
}

/** Every expectation of the program judged on every run of the results, in the spec's order. */
export function evaluateExpectations(
  defs: readonly ExpectationDef[],
  program: Pick<TypedProgram, 'attacks' | 'targets'>,
  results: Pick<ResultsJson, 'runs'>,
): ExpectationResult[] {
  const names = {
    attacks: program.attacks.map((a) => a.name),
    targets: program.targets.map((t) => t.name),
    audit: null,
  };
  return defs.map((def) => {
    const res = resolveExpectation(def, names);
    const points = results.runs.map((run): ExpectationPoint => {
      if (res.ok && res.subject.of === 'attack' && res.subject.slice) {
        const v = sliceVerdict(res.subject, def.op, def.bound, run);
        const why = v.reason === undefined ? {} : { reason: v.reason };
        return { params: run.params, value: v.value, holds: v.holds, ...(v.slice ? { slice: v.slice } : {}), ...why };
      }
      const value = res.ok ? measured(res.subject, run) : null;
      return { params: run.params, value, holds: value !== null && compare(value, def.op, def.bound) };
    });
    return { expectation: def.text, holds: points.every((p) => p.holds), points };
  });
}

/** The results with the verdicts, placed before the runs so they head the file. */
export function withVerdicts(results: ResultsJson, verdicts: ExpectationResult[]): ResultsJson {
  const { runs, ...head } = results;
  return verdicts.length ? { ...head, expectations: verdicts, runs } : results;
}

export const allHold = (verdicts: readonly ExpectationResult[] | undefined): boolean =>
  (verdicts ?? []).every((v) => v.holds);

function measured(s: ExpectSubject, run: RunResult): number | null {
  const finite = (v: number | null | undefined): number | null =>
    typeof v === 'number' && Number.isFinite(v) ? v : null;
  switch (s.of) {
    case 'audit':
      return null;
    case 'target': {
      const t = run.target;
      if (t.name !== s.target) return null;
      const byName = {
        train_accuracy: t.trainAccuracy,
        test_accuracy: t.testAccuracy,
        generalization_gap: t.generalizationGap,
        train_loss: t.trainLoss,
        test_loss: t.testLoss,
        vulnerability: t.vulnerability,
      } as const;
      return finite(byName[s.metric]);
    }
    case 'attack': {
      const a = run.attacks.find((x) => x.name === s.attack);
      return a ? summaryValue(a.metrics, s) : null;
    }
  }
}

const pointName = (p: ExpectationPoint): string =>
  Object.entries(p.params)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
/** The value in the bound's unit: a percentage when the bound is written as one (`< 2%` shows `1.5%`). */
const shown = (v: number | null, percent = false): string =>
  typeof v !== 'number' ? 'no value' : percent ? `${+(v * 100).toPrecision(4)}%` : String(+v.toPrecision(4));
const inPercent = (v: ExpectationResult): boolean => v.expectation.endsWith('%');

/** A point's value, and over slices the slice that decides it (and why it has no value): `7.2%, class 3`. */
const pointValue = (p: ExpectationPoint, percent: boolean): string =>
  p.slice === undefined
    ? shown(p.value, percent)
    : oneLine(`${shown(p.value, percent)}, ${clip(p.slice, 60)}${p.reason ? `: ${p.reason}` : ''}`);

/** One line per expectation: ✓/✗, the expectation, the value (per failing point with a sweep). */
export function expectationLines(verdicts: readonly ExpectationResult[]): string[] {
  return verdicts.map((v) => {
    const mark = v.holds ? 'pass' : 'FAIL';
    const [only] = v.points;
    if (v.points.length === 1 && only && Object.keys(only.params).length === 0)
      return `${mark}  ${v.expectation}  (${pointValue(only, inPercent(v))})`;
    const failing = v.points.filter((p) => !p.holds);
    const detail = v.holds
      ? `holds at all ${v.points.length} points`
      : `fails at ${failing.map((p) => `${pointName(p)} (${pointValue(p, inPercent(v))})`).join('; ')}`;
    return `${mark}  ${v.expectation}  ${detail}`;
  });
}

/** The terminal's block: a heading with the count, then a line per expectation. */
export function expectationsTable(verdicts: readonly ExpectationResult[]): string {
  const failed = verdicts.filter((v) => !v.holds).length;
  const head = failed
    ? `expectations: ${failed} of ${verdicts.length} failed`
    : `expectations: all ${verdicts.length} hold`;
  return [head, ...expectationLines(verdicts).map((l) => `  ${l}`)].join('\n');
}

/**
 * report.html's section: a table of expectation, verdict and value per sweep point, classes
 * `mia-expect`, `pass` and `fail` for styling. Empty when the results hold no expectations.
 */
export function expectationsHtml(results: Pick<ResultsJson, 'expectations'>): Html | '' {
  const verdicts = results.expectations ?? [];
  if (verdicts.length === 0) return '';
  const rows = verdicts.flatMap((v) =>
    v.points.map((p, i) => {
      const first = i === 0 ? html`<td rowspan="${v.points.length}"><code>${v.expectation}</code></td>` : '';
      const cells = html`${first}<td>${pointName(p) || '—'}</td><td>${pointValue(p, inPercent(v))}</td>`;
      return p.holds
        ? html`<tr class="pass">${cells}<td>pass</td></tr>`
        : html`<tr class="fail">${cells}<td>FAIL</td></tr>`;
    }),
  );
  const failed = verdicts.filter((v) => !v.holds).length;
  const summary = failed ? `${failed} of ${verdicts.length} failed` : `all ${verdicts.length} hold`;
  return html`<section class="mia-expect"><h2>Expectations: ${summary}</h2>
<table><thead><tr><th>expectation</th><th>point</th><th>value</th><th>verdict</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
}

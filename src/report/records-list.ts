/**
 * `mia records`: the most exposed records of each attack from results.json, as rows (the terminal
 * table, CSV and JSON are views of them). Every text from the file is made visible before a terminal
 * sees it (util/escape.ts) and CSV cells are quoted where they must be.
 */
import { oneLine } from '../util/escape.js';
import type { AttackResult, ResultsJson, RunResult } from './results.js';

export interface ExposedRecord {
  /** The run: its target and sweep point. */
  target: string;
  params: Record<string, number | string>;
  attack: string;
  rank: number;
  record: number;
  label: number;
  /** The target's predicted class; null where results.json does not hold it. */
  prediction: number | null;
  member: number;
  score: number;
  risk: number | null;
}

/** An attack's `top` candidates by rank (ties by record order); every candidate's order without exposure fields is by score. */
function topOf(run: RunResult, a: AttackResult, top: number): ExposedRecord[] {
  const s = a.samples;
  const rank = a.exposure?.rank ?? ranksByScore(s.score);
  const order = rank.map((k, i) => [k, i] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  return order.slice(0, top).map(([k, i]) => ({
    target: run.target.name,
    params: run.params,
    attack: a.name,
    rank: k,
    record: s.record[i]!,
    label: s.label[i]!,
    prediction: run.records?.prediction[i] ?? null,
    member: s.member[i]!,
    score: s.score[i]!,
    risk: a.exposure?.risk[i] ?? null,
  }));
}

function ranksByScore(score: readonly number[]): number[] {
  const order = score.map((v, i) => [v, i] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  const rank = new Array<number>(score.length);
  order.forEach(([v, i], k) => {
    const prev = order[k - 1];
    rank[i] = prev && prev[0] === v ? rank[prev[1]]! : k + 1;
  });
  return rank;
}

/** The rows: per run, per attack (or only `attack`), its `top` most exposed records. */
export function exposedRecords(r: ResultsJson, o: { top: number; attack?: string }): ExposedRecord[] {
  return r.runs.flatMap((run) =>
    run.attacks.filter((a) => o.attack === undefined || a.name === o.attack).flatMap((a) => topOf(run, a, o.top)),
  );
}

const num = (v: number | null, digits: number): string => (v === null ? '' : String(+v.toPrecision(digits)));
const COLUMNS = ['target', 'params', 'attack', 'rank', 'record', 'label', 'prediction', 'member', 'score', 'risk'];
const cells = (x: ExposedRecord): string[] => [
  x.target,
  Object.entries(x.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' '),
  x.attack,
  String(x.rank),
  String(x.record),
  String(x.label),
  x.prediction === null ? '' : String(x.prediction),
  String(x.member),
  num(x.score, 6),
  num(x.risk, 4),
];

/** A CSV cell: a text a spreadsheet would take for a formula gets a leading ', then quotes where needed. */
function csvCell(cell: string): string {
  const s = /^[=+\-@\t\r]/.test(cell) && Number.isNaN(Number(cell)) ? `'${cell}` : cell;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const recordsCsv = (rows: ExposedRecord[]): string =>
  `${[COLUMNS, ...rows.map(cells)].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;

/** The terminal table: columns aligned, one block per attack, texts made visible. */
export function recordsTable(rows: ExposedRecord[]): string {
  const several = new Set(rows.map((x) => `${x.target} ${JSON.stringify(x.params)}`)).size > 1;
  const head = COLUMNS.filter((c) => several || (c !== 'target' && c !== 'params'));
  const body = rows.map((x) =>
    cells(x)
      .filter((_, i) => several || i > 1)
      .map((c) => oneLine(c)),
  );
  const width = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => (i < head.indexOf('attack') + 1 ? c.padEnd(width[i]!) : c.padStart(width[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}

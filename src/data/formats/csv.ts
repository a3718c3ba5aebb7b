/**
 * CSV tables (csv-parse): a header line or none, separators `,`, `, ` (the UCI Adult file's), `;` or
 * tab (detected from the first line, or given), quoted fields, a label column by name or 0-based index.
 * Headers and fields are trimmed of leading and trailing spaces: Adult's header names its label
 * ` Salary`, which is matched as `Salary`. The text is UTF-8 or UTF-16 with a byte-order mark, lines
 * end in LF, CRLF or CR (csv-text.ts). Columns are typed as csv-types.ts says (missing-value markers,
 * the 95% rule, ID-like columns refused) and encoded as csv-columns.ts says; `drop` leaves columns out,
 * `categorical` and `numeric` force a type. The label's values become classes (csv-labels.ts). A row
 * with a missing value in any column is dropped (the default) or, with `onMissing: 'impute'`, filled
 * with the column's mode (categorical) or median (numeric, plus an indicator feature); a missing label
 * always drops its row. What was dropped or filled is counted in `stats` and `notes`. Normalisation is
 * separate (normalize.ts).
 */
import { basename } from 'node:path';
import { didYouMean } from '../../util/suggest.js';
import {
  type Column,
  type ColumnType,
  encodeFeatures,
  type Feature,
  featureNames,
  impute,
  keepRows,
  sortedLevels,
} from './csv-columns.js';
import { encodeLabels } from './csv-labels.js';
import { detectSeparator, plainRows, quotedRows, type Table, tabulate } from './csv-rows.js';
import { csvText } from './csv-text.js';
import {
  checkControl,
  checkLevels,
  countsOf,
  DEFAULT_MISSING,
  type Forced,
  shown,
  type Typed,
  typeColumn,
  type Where,
} from './csv-types.js';
import { DataError, readBytes } from './errors.js';
import { count, type Parsed } from './parsed.js';

export { detectSeparator, hasHeader } from './csv-rows.js';

/** The most feature values (rows × features) a CSV may encode to: 200 MB of float32. */
export const MAX_VALUES = 50_000_000;

export interface CsvOptions {
  /** The label column: its header name, or its 0-based index. */
  label: string | number;
  /** Whether the first line names the columns; 'auto' (the default) decides as `hasHeader` says. */
  header?: boolean | 'auto';
  /** `,` `, ` `;` or `\t`; detected from the first line when absent. */
  separator?: string;
  /** A missing-value marker besides the defaults (DEFAULT_MISSING), e.g. "unknown". */
  missing?: string | null;
  onMissing?: 'drop' | 'impute';
  /** Columns forced categorical; 'auto' (the default) or any column not named: typed by the 95% rule. */
  categorical?: readonly string[] | 'auto';
  /** Columns forced numeric. */
  numeric?: readonly string[];
  /** Columns left out. */
  drop?: readonly string[];
  /** The membership column (csv-membership.ts): never a feature, read only as who is a member. */
  membership?: string | null;
  /** The dataset's name; the file's base name by default. */
  name?: string;
}

export interface CsvStats {
  rows: number;
  kept: number;
  dropped: number;
  /** Rows with a missing value in each column (a row may count under several). */
  missingBy: Record<string, number>;
  /** Values filled in per column (with onMissing: 'impute'). */
  imputed: Record<string, number>;
  /** The missing-value markers found in the file. */
  markers: string[];
}

export interface CsvParsed extends Parsed {
  separator: string;
  header: boolean;
  /** The feature columns in file order (the label and dropped ones left out), with their type and levels. */
  columns: ({ name: string } & ColumnType)[];
  /** One name per feature: `age`, `age (missing)`, `workclass=Private`, … */
  featureNames: string[];
  /** Class i's value in the label column. */
  classNames: string[];
  stats: CsvStats;
}

function labelIndex(file: string, t: Table, label: string | number): number {
  const names = t.names;
  if (typeof label === 'number') {
    if (Number.isInteger(label) && label >= 0 && label < names.length) return label;
    throw new DataError(file, `There is no column ${label}: the columns are numbered 0 to ${names.length - 1}.`);
  }
  const i = names.indexOf(label.trim());
  if (i >= 0) return i;
  if (!t.header)
    throw new DataError(file, `The file has no header line, so the label "${label}" cannot be found; give its index.`);
  throw new DataError(
    file,
    `There is no column "${label}" to use as the label; the columns are ${names.map((n) => `"${n}"`).join(', ')}.` +
      didYouMean(label, names),
  );
}

/** A header naming a column twice, or holding a control character, is refused. */
function checkHeader(file: string, t: Table): void {
  if (!t.header) return;
  const where: Where = { file, lines: Int32Array.of(1) };
  for (const name of t.names) checkControl(where, { name, dict: [name], codes: Int32Array.of(0) }, Int32Array.of(1));
  const seen = new Map<string, number>();
  t.names.forEach((n, i) => {
    const before = seen.get(n);
    if (before !== undefined)
      throw new DataError(
        file,
        `The header names the column ${shown(n)} twice (columns ${before} and ${i}, counted from 0). Rename one.`,
        { line: 1 },
      );
    seen.set(n, i);
  });
}

/** The forced type of each column (by index) and the dropped columns; names not in the header are errors. */
function settingsOf(file: string, t: Table, li: number, opts: CsvOptions): { forced: Forced[]; dropped: Set<number> } {
  const find = (setting: string, name: string): number => {
    const i = t.names.indexOf(name);
    if (i < 0)
      throw new DataError(
        file,
        `The column ${shown(name)} in ${setting} is not in the ${t.header ? 'header' : 'file (its columns are "column 0", "column 1", …)'}.${didYouMean(name, t.names)}`,
      );
    return i;
  };
  const forced: Forced[] = t.names.map(() => undefined);
  const cat = opts.categorical === undefined || opts.categorical === 'auto' ? [] : opts.categorical;
  for (const c of cat) forced[find('categorical', c)] = 'categorical';
  for (const c of opts.numeric ?? []) {
    const i = find('numeric', c);
    if (forced[i] === 'categorical')
      throw new DataError(file, `The column ${shown(c)} is both in categorical and in numeric; keep it in one.`);
    forced[i] = 'numeric';
  }
  const dropped = new Set((opts.drop ?? []).map((c) => find('drop', c)));
  if (dropped.has(li))
    throw new DataError(file, `The label column ${shown(t.names[li]!)} cannot be dropped; remove it from drop.`);
  if (opts.membership != null) {
    const m = find('membership', opts.membership.trim());
    if (m === li)
      throw new DataError(file, `The column ${shown(t.names[li]!)} cannot be both the label and the membership.`);
    dropped.add(m); // who is a member is the answer the attack seeks: never a feature
  }
  return { forced, dropped };
}

/** Parses a CSV table (bytes or text) into a dataset; `file` names it in errors. */
export function parseCsv(input: string | Uint8Array, file: string, opts: CsvOptions): CsvParsed {
  const { t, layout, separator, notes } = csvLayout(input, file, opts);
  const p = build(file, opts, t, layout);
  p.notes.unshift(...notes);
  return { ...p, separator, header: t.header };
}

/** The table of a CSV file and which columns are the label and the features (before any row is dropped). */
export function csvLayout(input: string | Uint8Array, file: string, opts: CsvOptions) {
  const { text, notes } = csvText(input, file);
  if (text.trim() === '') throw new DataError(file, 'The CSV file is empty.');
  const separator = opts.separator ?? detectSeparator(text);
  const sep = separator.trim() === '' ? separator : separator.trim();
  const rows = text.includes('"') ? quotedRows(text, file, sep) : plainRows(text, sep);
  const t = tabulate(file, rows, opts.header ?? 'auto', separator);
  checkHeader(file, t);
  const li = labelIndex(file, t, opts.label);
  const { forced, dropped } = settingsOf(file, t, li, opts);
  const features = t.columns.map((_, c) => c).filter((c) => c !== li && !dropped.has(c));
  if (features.length === 0)
    throw new DataError(
      file,
      dropped.size > 0
        ? `Every column but the label ${shown(t.names[li]!)} is dropped: the records would have no feature.`
        : `The file has only the label column ${shown(t.names[li]!)}: the records would have no feature.`,
    );
  const layout: Layout = { li, features, forced };
  return { t, layout, separator, notes };
}

/**
 * The rows `parseCsv` keeps, as a mask of dropped rows (by table row), and the missing-value markers: what
 * a column's raw values per record (csv-column-values.ts) are aligned with.
 */
export function droppedRows(file: string, opts: CsvOptions, t: Table, layout: Layout) {
  const markers = new Set([...DEFAULT_MISSING, ...(opts.missing != null ? [opts.missing] : [])]);
  const { cols } = markersOf({ file, lines: t.lines }, t, layout, markers);
  return { ...rowsToDrop(t, cols, layout, opts.onMissing === 'impute'), markers };
}

export interface Layout {
  li: number;
  /** The feature columns' indices, in file order. */
  features: number[];
  forced: Forced[];
}

/** Per column read (the label and the features): control characters refused, which entries are missing markers; which markers were found. */
function markersOf(where: Where, t: Table, layout: Layout, markers: ReadonlySet<string>) {
  const found = new Set<string>();
  const read = new Set([layout.li, ...layout.features]);
  const cols = t.columns.map((col, c) => {
    const counts = countsOf(col);
    if (!read.has(c)) return { col, counts, missing: new Uint8Array(col.dict.length) };
    checkControl(where, col, counts);
    const missing = Uint8Array.from(col.dict, (s, k) => {
      const m = markers.has(s) && counts[k]! > 0;
      if (m) found.add(s);
      return m ? 1 : 0;
    });
    return { col, counts, missing };
  });
  return { cols, found: [...markers].filter((m) => found.has(m)) };
}

/** The rows to drop (a missing label, or any missing value unless imputing) and the missing count per column. */
function rowsToDrop(t: Table, cols: { col: Column; missing: Uint8Array }[], layout: Layout, impute: boolean) {
  const drop = new Uint8Array(t.lines.length);
  const missingBy: Record<string, number> = {};
  for (const c of [layout.li, ...layout.features]) {
    const { col, missing } = cols[c]!;
    if (!missing.includes(1)) continue;
    let k = 0;
    for (let r = 0; r < col.codes.length; r++)
      if (missing[col.codes[r]!]) {
        k++;
        if (!impute || c === layout.li) drop[r] = 1;
      }
    missingBy[col.name] = k;
  }
  return { drop, missingBy, kept: drop.length - drop.reduce((a, b) => a + b, 0) };
}

function build(file: string, opts: CsvOptions, t: Table, layout: Layout): Omit<CsvParsed, 'separator' | 'header'> {
  const markerSet = new Set([...DEFAULT_MISSING, ...(opts.missing != null ? [opts.missing] : [])]);
  const { cols, found } = markersOf({ file, lines: t.lines }, t, layout, markerSet);
  const typed = layout.features.map((c) =>
    typeColumn({ file, lines: t.lines }, cols[c]!.col, cols[c]!.counts, cols[c]!.missing, layout.forced[c]),
  );
  const onImpute = opts.onMissing === 'impute';
  const { drop, missingBy, kept } = rowsToDrop(t, cols, layout, onImpute);
  if (kept === 0)
    throw new DataError(
      file,
      `Every row has a missing value (${found.map(shown).join(', ')}); nothing is left. Try on_missing: impute, or drop the emptiest columns.`,
    );
  const lines = new Int32Array(kept);
  for (let r = 0, k = 0; r < drop.length; r++) if (!drop[r]) lines[k++] = t.lines[r]!;
  const where = { file, lines };
  const labels = encodeLabels(where, keepRows(cols[layout.li]!.col, drop, kept));
  if (labels.names.length < 2)
    throw new DataError(
      file,
      `Every kept row has the label "${labels.names[0]}" in "${t.names[layout.li]}": a classifier needs at least two classes.`,
    );
  const imputed: Record<string, number> = {};
  const feats = layout.features.map((c, i) => {
    const f = featureOf(
      where,
      keepRows(cols[c]!.col, drop, kept),
      cols[c]!.missing,
      typed[i]!,
      layout.forced[c],
      onImpute,
    );
    if (f.imputed > 0) imputed[f.col.name] = f.imputed;
    return f;
  });
  const names = featureNames(feats);
  checkSize(file, feats, kept, names.length);
  const x = encodeFeatures(feats, kept, names.length);
  const stats: CsvStats = {
    rows: t.lines.length,
    kept,
    dropped: t.lines.length - kept,
    missingBy,
    imputed,
    markers: found,
  };
  const name = opts.name ?? basename(file).replace(/\.[^.]*$/, '');
  return {
    dataset: { name, x, y: labels.y, n: kept, shape: [names.length], classes: labels.names.length, kind: 'tabular' },
    notes: [...csvNotes(stats, names.length, labels.names, markerSet), ...labels.notes],
    columns: feats.map((f) => ({ name: f.col.name, ...f.type })),
    featureNames: names,
    classNames: labels.names,
    stats,
  };
}

/** One feature column after rows were dropped: filled in (imputing), its levels, an ID-like column refused. */
function featureOf(
  w: Where,
  col: Column,
  missing: Uint8Array,
  typed: Typed,
  forced: Forced,
  onImpute: boolean,
): Feature & { imputed: number } {
  let filled: Uint8Array | null = null;
  if (onImpute) [col, filled] = impute(col, missing, typed.kind);
  const imputed = filled ? filled.reduce((a, b) => a + b, 0) : 0;
  if (typed.kind === 'numeric') return { col, type: { kind: 'numeric' }, filled, imputed };
  const levels = sortedLevels(col);
  if (forced === undefined) checkLevels(w, col, levels.length, col.codes.length, typed.share);
  return { col, type: { kind: 'categorical', levels }, filled: null, imputed };
}

/** Refuses an encoding over MAX_VALUES before allocating it, naming the widest columns. */
function checkSize(file: string, feats: Feature[], rows: number, f: number): void {
  if (rows * f <= MAX_VALUES) return;
  const wide = feats
    .filter((x) => x.type.kind === 'categorical')
    .map((x) => [x.col.name, x.type.kind === 'categorical' ? x.type.levels.length : 0] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3);
  throw new DataError(
    file,
    `The features would be ${count(rows)} rows × ${count(f)} features = ${count(rows * f)} values (${count(Math.ceil((rows * f * 4) / 2 ** 20))} MB), over the limit of ${count(MAX_VALUES)}. The widest columns: ${wide.map(([n, l]) => `${shown(n)} (${count(l)} levels)`).join(', ')}. Leave some out with drop: [...].`,
  );
}

function csvNotes(s: CsvStats, features: number, classes: string[], markers: ReadonlySet<string>): string[] {
  const by = Object.entries(s.missingBy)
    .map(([c, n]) => `${c} ${count(n)}`)
    .join(', ');
  const notes = [
    `Read ${count(s.rows)} rows: ${features} features, ${classes.length} classes (${classes.join(', ')}).`,
  ];
  const found = s.markers.map(shown).join(', ');
  if (s.markers.length > 0)
    notes.push(
      `Cells equal to a missing-value marker count as missing (markers: ${[...markers].map(shown).join(', ')}); found ${found}.`,
    );
  if (s.dropped > 0)
    notes.push(`Dropped ${count(s.dropped)} of ${count(s.rows)} rows with a missing value (${found}; ${by}).`);
  const filled = Object.entries(s.imputed);
  if (filled.length > 0)
    notes.push(
      `Filled in missing values (mode, or median and an indicator feature "name (missing)"): ${filled.map(([c, n]) => `${c} ${count(n)}`).join(', ')}.`,
    );
  return notes;
}

/** Reads and parses a CSV file. */
export const readCsv = (path: string, opts: CsvOptions): CsvParsed => parseCsv(readBytes(path, 'CSV file'), path, opts);

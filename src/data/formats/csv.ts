/**
 * CSV tables (csv-parse): a header line or none, separators `,`, `, ` (the UCI Adult file's), `;` or
 * tab (detected from the first line, or given), quoted fields, a label column by name or 0-based index.
 * Headers and fields are trimmed of leading and trailing spaces: Adult's header names its label
 * ` Salary`, which is matched as `Salary`. Columns are typed and encoded as csv-columns.ts says; the
 * label's values become classes 0..k-1 in sorted order (numeric order when all are numbers), their
 * names kept in `classNames`. A row with the `missing` marker in any column is dropped (the default)
 * or, with `onMissing: 'impute'`, filled with the column's mode (categorical) or median (numeric);
 * a missing label always drops its row. What was dropped or filled is counted in `stats` and `notes`.
 * Normalisation is separate (normalize.ts), so it can be fitted on the attacker's records only.
 */
import { basename } from 'node:path';
import { didYouMean } from '../../util/suggest.js';
import { DataError, readBytes } from './errors.js';
import {
  type ColumnType,
  encodeFeatures,
  encodeLabels,
  impute,
  keepRows,
  sortedLevels,
  typeColumn,
} from './csv-columns.js';
import { detectSeparator, plainRows, quotedRows, type Table, tabulate } from './csv-rows.js';
import { count, type Parsed } from './parsed.js';

export { detectSeparator, hasHeader } from './csv-rows.js';

export interface CsvOptions {
  /** The label column: its header name, or its 0-based index. */
  label: string | number;
  /** Whether the first line names the columns; 'auto' (the default) decides as `hasHeader` says. */
  header?: boolean | 'auto';
  /** `,` `, ` `;` or `\t`; detected from the first line when absent. */
  separator?: string;
  /** The marker of a missing value, e.g. "?"; none by default. */
  missing?: string | null;
  onMissing?: 'drop' | 'impute';
  /** Categorical columns by name, every other one numeric; or 'auto' (the default): any text makes a column categorical. */
  categorical?: readonly string[] | 'auto';
  /** The dataset's name; the file's base name by default. */
  name?: string;
}

export interface CsvStats {
  rows: number;
  kept: number;
  dropped: number;
  /** Rows with the marker in each column (a row may count under several). */
  missingBy: Record<string, number>;
  /** Values filled in per column (with onMissing: 'impute'). */
  imputed: Record<string, number>;
}

export interface CsvParsed extends Parsed {
  separator: string;
  header: boolean;
  /** The feature columns in file order (the label left out), with their type and levels. */
  columns: ({ name: string } & ColumnType)[];
  /** One name per feature: `age`, `workclass=Private`, … */
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

/** Parses a CSV table (bytes or text) into a dataset; `file` names it in errors. */
export function parseCsv(input: string | Uint8Array, file: string, opts: CsvOptions): CsvParsed {
  let text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new DataError(file, 'The CSV file is empty.');
  const separator = opts.separator ?? detectSeparator(text);
  const sep = separator.trim() === '' ? separator : separator.trim();
  const rows = text.includes('"') ? quotedRows(text, file, sep) : plainRows(text, sep);
  const t = tabulate(file, rows, opts.header ?? 'auto', separator);
  const li = labelIndex(file, t, opts.label);
  const declared = opts.categorical === undefined || opts.categorical === 'auto' ? 'auto' : new Set(opts.categorical);
  if (declared !== 'auto')
    for (const c of declared)
      if (!t.names.includes(c))
        throw new DataError(file, `The categorical column "${c}" is not in the header.${didYouMean(c, t.names)}`);
  return build(file, opts, t, li, declared, separator);
}

function build(
  file: string,
  opts: CsvOptions,
  t: Table,
  li: number,
  declared: ReadonlySet<string> | 'auto',
  separator: string,
): CsvParsed {
  const missing = opts.missing ?? null;
  const onImpute = opts.onMissing === 'impute';
  const rows = t.lines.length;
  const missingBy: Record<string, number> = {};
  const drop = new Uint8Array(rows);
  t.columns.forEach((col, c) => {
    const m = missing === null ? -1 : col.dict.indexOf(missing);
    if (m < 0) return;
    let k = 0;
    for (let r = 0; r < rows; r++)
      if (col.codes[r] === m) {
        k++;
        if (!onImpute || c === li) drop[r] = 1;
      }
    missingBy[col.name] = k;
  });
  const kept = rows - drop.reduce((a, b) => a + b, 0);
  const lines = new Int32Array(kept);
  for (let r = 0, k = 0; r < rows; r++) if (!drop[r]) lines[k++] = t.lines[r]!;
  if (kept === 0)
    throw new DataError(file, `Every row has a missing value ("${missing}"); nothing is left. Try onMissing: impute.`);
  const columns = t.columns.map((c) => keepRows(c, drop, kept));
  const labelCol = columns[li]!;
  const features = columns.filter((_, c) => c !== li);
  const where = { file, lines, missing };
  const imputed: Record<string, number> = {};
  const types: ColumnType[] = features.map((col, i) => {
    const kind = typeColumn(where, col, declared);
    if (onImpute && missing !== null) {
      const [filled, k] = impute(col, missing, kind);
      features[i] = filled;
      if (k > 0) imputed[col.name] = k;
    }
    return kind === 'numeric' ? { kind } : { kind, levels: sortedLevels(features[i]!) };
  });
  const { names: classNames, y } = encodeLabels(labelCol);
  if (classNames.length < 2)
    throw new DataError(
      file,
      `Every kept row has the label "${classNames[0]}" in "${labelCol.name}": a classifier needs at least two classes.`,
    );
  const { x, names: featureNames } = encodeFeatures(features, types, kept);
  const stats: CsvStats = { rows, kept, dropped: rows - kept, missingBy, imputed };
  const name = opts.name ?? basename(file).replace(/\.[^.]*$/, '');
  return {
    dataset: { name, x, y, n: kept, shape: [featureNames.length], classes: classNames.length, kind: 'tabular' },
    notes: csvNotes(stats, missing, featureNames.length, classNames),
    separator,
    header: t.header,
    columns: features.map((c, i) => ({ name: c.name, ...types[i]! })),
    featureNames,
    classNames,
    stats,
  };
}

function csvNotes(s: CsvStats, missing: string | null, features: number, classes: string[]): string[] {
  const by = Object.entries(s.missingBy)
    .map(([c, n]) => `${c} ${count(n)}`)
    .join(', ');
  const notes = [
    `Read ${count(s.rows)} rows: ${features} features, ${classes.length} classes (${classes.join(', ')}).`,
  ];
  if (s.dropped > 0)
    notes.push(`Dropped ${count(s.dropped)} of ${count(s.rows)} rows with a missing value ("${missing}"; ${by}).`);
  const filled = Object.entries(s.imputed);
  if (filled.length > 0)
    notes.push(`Filled in missing values (mode or median): ${filled.map(([c, n]) => `${c} ${count(n)}`).join(', ')}.`);
  return notes;
}

/** Reads and parses a CSV file. */
export const readCsv = (path: string, opts: CsvOptions): CsvParsed => parseCsv(readBytes(path, 'CSV file'), path, opts);

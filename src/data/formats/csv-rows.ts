/**
 * CSV text → rows → columns: the separator and header guesses, the two row readers (a direct split
 * when the file has no quote, csv-parse when it has), and the check that every row has the header's
 * number of fields. Fields are trimmed of leading and trailing spaces.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { type Column, ColumnsBuilder, isNumber } from './csv-columns.js';
import { DataError } from './errors.js';

/** The separator of the first line: the most frequent of `,` `;` tab outside quotes (`, ` when every comma is followed by a space). */
export function detectSeparator(text: string): string {
  const line = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'));
  const n = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in n) n[ch as keyof typeof n]++;
  }
  const best = (Object.keys(n) as (keyof typeof n)[]).reduce((a, b) => (n[b] > n[a] ? b : a), ',');
  return best === ',' && n[','] > 0 && line.split(',').length - 1 === line.split(', ').length - 1 ? ', ' : best;
}

/**
 * Whether the first row is a header: all its fields are non-empty non-numbers, and some column below it
 * is numeric, or none of its fields recurs in its column below. (A header naming a column twice is
 * still a header; the parse refuses it, saying so.)
 */
export function hasHeader(rows: string[][]): boolean {
  const first = rows[0] ?? [];
  if (first.some((f) => f === '' || isNumber(f))) return false;
  const body = rows.slice(1, 201);
  const numericBelow = first.some((_, c) => body.length > 0 && body.every((r) => isNumber(r[c] ?? '')));
  return numericBelow || first.every((f, c) => body.every((r) => r[c] !== f));
}

export interface Table {
  names: string[];
  columns: Column[];
  /** The file line of each data row. */
  lines: Int32Array;
  header: boolean;
}

function widthError(file: string, got: number, width: number, header: boolean, sep: string, line: number): DataError {
  return new DataError(
    file,
    `This row has ${got} fields but the ${header ? 'header has' : 'first row has'} ${width} (separator "${sep}").` +
      ' Quote fields that contain the separator.',
    { line },
  );
}

/** Rows → columns, the first row (or a given decision) deciding the header and the width. */
export function tabulate(
  file: string,
  next: () => { fields: string[]; line: number } | null,
  header: boolean | 'auto',
  sep: string,
): Table {
  const head: { fields: string[]; line: number }[] = [];
  for (let r = next(); r && head.length < 201; r = head.length < 200 ? next() : null) head.push(r);
  if (head.length === 0) throw new DataError(file, 'The CSV file is empty.');
  const hasHead = header === 'auto' ? hasHeader(head.map((h) => h.fields)) : header;
  const width = head[0]!.fields.length;
  const names = hasHead ? head[0]!.fields : Array.from({ length: width }, (_, i) => `column ${i}`);
  const b = new ColumnsBuilder(names);
  const lines: number[] = [];
  const add = (r: { fields: string[]; line: number }): void => {
    if (r.fields.length !== width) throw widthError(file, r.fields.length, width, hasHead, sep, r.line);
    b.push(r.fields);
    lines.push(r.line);
  };
  head.slice(hasHead ? 1 : 0).forEach(add);
  for (let r = next(); r; r = next()) add(r);
  if (lines.length === 0) throw new DataError(file, 'The CSV file has a header but no rows.');
  return { names, columns: b.build(), lines: Int32Array.from(lines), header: hasHead };
}

/** Rows of a file without quotes, split directly (several times faster than csv-parse, same result). */
export function plainRows(text: string, sep: string): () => { fields: string[]; line: number } | null {
  const all = text.split('\n');
  let i = 0;
  return () => {
    for (; i < all.length; i++) {
      const line = all[i]!;
      if (line.trim() === '') continue;
      i++;
      return { fields: line.split(sep).map((f) => f.trim()), line: i };
    }
    return null;
  };
}

export function quotedRows(text: string, file: string, sep: string): () => { fields: string[]; line: number } | null {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: sep,
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    if (e instanceof CsvError)
      throw new DataError(file, `The file is not valid CSV: ${e.message}. Check the quotes on this line.`, {
        line: (e as CsvError & { lines?: number }).lines,
      });
    throw e;
  }
  let i = 0;
  return () => {
    const r = records[i++];
    if (!r) return null;
    const first = r.info.lines - r.record.reduce((a, f) => a + (f.match(/\n/g)?.length ?? 0), 0);
    return { fields: r.record, line: first };
  };
}

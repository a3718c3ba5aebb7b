/**
 * The columns of a CSV table, each stored as a dictionary of its distinct strings and one code per row
 * (so typing and parsing touch each distinct value once): typing (numeric or categorical), filling in
 * missing values, and encoding as features. A column is numeric when every non-missing value parses as
 * a finite decimal number (`12`, `-0.5`, `1e3`; not hex); a categorical column is one-hot encoded with
 * its levels sorted by string (JavaScript's code-unit order, so "B" < "a" and "10" < "9"), one feature
 * per level, named `column=level`.
 */
import { DataError } from './errors.js';

export type ColumnType = { kind: 'numeric' } | { kind: 'categorical'; levels: string[] };

export interface Column {
  name: string;
  /** Distinct values (trimmed), in order of first appearance. */
  dict: string[];
  /** Per row, the index of its value in `dict`. */
  codes: Int32Array;
}

/** Builds columns row by row. */
export class ColumnsBuilder {
  private readonly maps: Map<string, number>[];
  private readonly dicts: string[][];
  private readonly codes: number[][];
  constructor(readonly names: string[]) {
    this.maps = names.map(() => new Map());
    this.dicts = names.map(() => []);
    this.codes = names.map(() => []);
  }
  push(fields: readonly string[]): void {
    for (let c = 0; c < fields.length; c++) {
      const s = fields[c]!;
      const m = this.maps[c]!;
      let k = m.get(s);
      if (k === undefined) {
        k = this.dicts[c]!.push(s) - 1;
        m.set(s, k);
      }
      this.codes[c]!.push(k);
    }
  }
  build(): Column[] {
    return this.names.map((name, c) => ({ name, dict: this.dicts[c]!, codes: Int32Array.from(this.codes[c]!) }));
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

export const isNumber = (s: string): boolean => NUMBER.test(s);

/** Which codes occur in the column. */
const used = (col: Column): Uint8Array => {
  const u = new Uint8Array(col.dict.length);
  for (let r = 0; r < col.codes.length; r++) u[col.codes[r]!] = 1;
  return u;
};

/** The rows whose value is not `drop`ped. */
export function keepRows(col: Column, drop: Uint8Array, kept: number): Column {
  const codes = new Int32Array(kept);
  for (let r = 0, k = 0; r < col.codes.length; r++) if (!drop[r]) codes[k++] = col.codes[r]!;
  return { name: col.name, dict: col.dict, codes };
}

interface Where {
  file: string;
  lines: Int32Array;
  missing: string | null;
}

const lineOf = (w: Where, col: Column, code: number): number => w.lines[col.codes.indexOf(code)]!;

/** The first used dictionary entry satisfying `bad`, or -1 (in order of first appearance). */
function firstCode(col: Column, u: Uint8Array, bad: (s: string) => boolean): number {
  for (let k = 0; k < col.dict.length; k++) if (u[k] && bad(col.dict[k]!)) return k;
  return -1;
}

/**
 * Numeric or categorical. With `declared` (a list of categorical columns), every other column must be
 * numeric; with 'auto', a column holding any text is categorical. NaN and Infinity are errors either
 * way, as are empty fields (unless the missing marker is the empty string).
 */
export function typeColumn(w: Where, col: Column, declared: ReadonlySet<string> | 'auto'): 'numeric' | 'categorical' {
  const u = used(col);
  const empty = w.missing === '' ? -1 : firstCode(col, u, (s) => s === '');
  if (empty >= 0)
    throw new DataError(
      w.file,
      `The column "${col.name}" is empty in this row. Give it a value, or declare it missing (missing: "") to drop` +
        ' or fill such rows.',
      { line: lineOf(w, col, empty) },
    );
  if (declared !== 'auto' && declared.has(col.name)) return 'categorical';
  const text = firstCode(col, u, (s) => s !== w.missing && !NUMBER.test(s));
  if (text < 0) return 'numeric';
  const word = firstCode(col, u, (s) => s !== w.missing && !NUMBER.test(s) && !NON_FINITE.test(s));
  if (word < 0)
    throw new DataError(
      w.file,
      `The column "${col.name}" holds ${col.dict[text]}; values must be finite numbers. Mark a missing value with` +
        ` the dataset's "missing" marker, or remove the row.`,
      { line: lineOf(w, col, text) },
    );
  if (declared === 'auto') return 'categorical';
  throw new DataError(
    w.file,
    `The numeric column "${col.name}" holds the text "${col.dict[word]}". Fix the value, list "${col.name}" under` +
      ' categorical, or declare the marker as missing.',
    { line: lineOf(w, col, word) },
  );
}

/**
 * Fills the missing marker's rows with the column's mode (categorical; ties: the first in sorted order)
 * or median (numeric; the mean of the middle two for an even count). Returns the column and how many
 * values were filled.
 */
export function impute(col: Column, missing: string, kind: 'numeric' | 'categorical'): [Column, number] {
  const m = col.dict.indexOf(missing);
  const filled = m < 0 ? 0 : col.codes.reduce((a, k) => a + (k === m ? 1 : 0), 0);
  if (filled === 0) return [col, 0];
  let fill: string;
  if (kind === 'numeric') {
    const nums = Float64Array.from(
      col.codes.filter((k) => k !== m),
      (k) => Number(col.dict[k]),
    ).sort();
    const h = nums.length >> 1;
    fill = String(nums.length % 2 ? nums[h]! : (nums[h - 1]! + nums[h]!) / 2);
  } else {
    const counts = new Int32Array(col.dict.length);
    for (const k of col.codes) if (k !== m) counts[k]!++;
    const order = [...col.dict.keys()].filter((k) => counts[k]! > 0).sort((a, b) => cmp(col.dict[a]!, col.dict[b]!));
    fill = col.dict[order.reduce((best, k) => (counts[k]! > counts[best]! ? k : best), order[0]!)]!;
  }
  const dict = col.dict.includes(fill) ? col.dict : [...col.dict, fill];
  const f = dict.indexOf(fill);
  return [{ name: col.name, dict, codes: col.codes.map((k) => (k === m ? f : k)) }, filled];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const sortedLevels = (col: Column): string[] => {
  const u = used(col);
  return col.dict.filter((_, k) => u[k]).sort(cmp);
};

/** Class names sorted numerically when every label is a number, else by string; the label of each row as 0..k-1. */
export function encodeLabels(col: Column): { names: string[]; y: Int32Array } {
  const levels = sortedLevels(col);
  const names = levels.every((v) => NUMBER.test(v)) ? levels.sort((a, b) => Number(a) - Number(b)) : levels;
  const index = new Map(names.map((n, i) => [n, i]));
  const classOf = Int32Array.from(col.dict, (s) => index.get(s) ?? -1);
  const y = new Int32Array(col.codes.length);
  for (let r = 0; r < y.length; r++) y[r] = classOf[col.codes[r]!]!;
  return { names, y };
}

/** Row-major float32 features: numbers as they are, categorical columns one-hot in level order. */
export function encodeFeatures(
  columns: Column[],
  types: ColumnType[],
  rows: number,
): { x: Float32Array; names: string[] } {
  const names: string[] = [];
  const offsets: number[] = [];
  types.forEach((t, c) => {
    offsets.push(names.length);
    if (t.kind === 'numeric') names.push(columns[c]!.name);
    else for (const l of t.levels) names.push(`${columns[c]!.name}=${l}`);
  });
  const f = names.length;
  const x = new Float32Array(rows * f);
  types.forEach((t, c) => {
    const { dict, codes } = columns[c]!;
    const off = offsets[c]!;
    if (t.kind === 'numeric') {
      const value = Float32Array.from(dict, Number);
      for (let r = 0; r < rows; r++) x[r * f + off] = value[codes[r]!]!;
    } else {
      const index = new Map(t.levels.map((l, i) => [l, i]));
      const level = Int32Array.from(dict, (s) => index.get(s) ?? -1);
      for (let r = 0; r < rows; r++) x[r * f + off + level[codes[r]!]!] = 1;
    }
  });
  return { x, names };
}

/**
 * The columns of a CSV table, each stored as a dictionary of its distinct strings and one code per row
 * (so typing and parsing touch each distinct value once): filling in missing values and encoding as
 * features (how a column is typed: csv-types.ts). A numeric column is one feature (and, when values
 * were filled in, an indicator feature `name (missing)`, 1 on those rows); a categorical column is
 * one-hot encoded with its levels sorted by string (JavaScript's code-unit order, so "B" < "a" and
 * "10" < "9"), one feature per level, named `column=level`. Encoding is linear in rows × features.
 */
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
export const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** A decimal number as written in a CSV cell (not hex, not `inf`); it may still overflow. */
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

/**
 * Fills the rows whose value is a missing marker (`missing` marks those dictionary entries) with the
 * column's mode (categorical; ties: the first in sorted order) or median (numeric; the mean of the
 * middle two for an even count), over the column's other rows. Returns the column and which rows were
 * filled (null when none).
 */
export function impute(col: Column, missing: Uint8Array, kind: 'numeric' | 'categorical'): [Column, Uint8Array | null] {
  const filled = Uint8Array.from(col.codes, (k) => missing[k]!);
  if (!filled.includes(1)) return [col, null];
  const present = col.codes.filter((k) => !missing[k]);
  let fill: string;
  if (kind === 'numeric') {
    const nums = Float64Array.from(present, (k) => Number(col.dict[k])).sort();
    const h = nums.length >> 1;
    fill = String(nums.length % 2 ? nums[h]! : (nums[h - 1]! + nums[h]!) / 2);
  } else {
    const counts = new Int32Array(col.dict.length);
    for (const k of present) counts[k]!++;
    const order = [...col.dict.keys()].filter((k) => counts[k]! > 0).sort((a, b) => cmp(col.dict[a]!, col.dict[b]!));
    fill = col.dict[order.reduce((best, k) => (counts[k]! > counts[best]! ? k : best), order[0]!)]!;
  }
  const at = col.dict.findIndex((s, k) => s === fill && !missing[k]);
  const dict = at >= 0 ? col.dict : [...col.dict, fill];
  const f = at >= 0 ? at : dict.length - 1;
  return [{ name: col.name, dict, codes: col.codes.map((k) => (missing[k] ? f : k)) }, filled];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const sortedLevels = (col: Column): string[] => {
  const u = used(col);
  return col.dict.filter((_, k) => u[k]).sort(cmp);
};

export interface Feature {
  col: Column;
  type: ColumnType;
  /** Rows whose value was filled in (a numeric column's indicator feature), or null. */
  filled: Uint8Array | null;
}

/** The feature names: `age`, `age (missing)` (the indicator of filled rows), `workclass=Private`, … */
export function featureNames(features: readonly Feature[]): string[] {
  const names: string[] = [];
  for (const { col, type, filled } of features) {
    if (type.kind === 'categorical') for (const l of type.levels) names.push(`${col.name}=${l}`);
    else names.push(col.name, ...(filled ? [`${col.name} (missing)`] : []));
  }
  return names;
}

/** Row-major float32 features: numbers as they are (and their indicator), categorical columns one-hot in level order. */
export function encodeFeatures(features: readonly Feature[], rows: number, f: number): Float32Array {
  const x = new Float32Array(rows * f);
  let off = 0;
  for (const { col, type, filled } of features) {
    const { dict, codes } = col;
    if (type.kind === 'numeric') {
      const value = Float32Array.from(dict, Number);
      for (let r = 0; r < rows; r++) x[r * f + off] = value[codes[r]!]!;
      if (filled) for (let r = 0; r < rows; r++) x[r * f + off + 1] = filled[r]!;
      off += filled ? 2 : 1;
    } else {
      const index = new Map(type.levels.map((l, i) => [l, i]));
      const level = Int32Array.from(dict, (s) => index.get(s) ?? -1);
      for (let r = 0; r < rows; r++) x[r * f + off + level[codes[r]!]!] = 1;
      off += type.levels.length;
    }
  }
  return x;
}

/**
 * How a CSV column is typed, and what a column may hold.
 *
 * - Missing values: a cell equal to a marker, `NA` `N/A` `n/a` `na` `?` (empty) `null` `NaN` `-` by
 *   default, plus the user's `missing:`, in any column.
 * - A column is **numeric** when at least 95% of its non-missing cells are finite decimal numbers
 *   (`12`, `-0.5`, `+5`, `1e3`; fields are trimmed, so ` 7 ` is 7). Its other cells must be markers:
 *   any other value is an error naming the line, the column and the value (add it to `missing:`, or
 *   force the column's type). `inf`, `1e999` (overflow) and values beyond float32 are errors; so is a
 *   decimal comma (`1,5`), which mia does not guess at.
 * - Otherwise it is **categorical** (one-hot, one feature per level), unless it looks like an ID: more
 *   than 1,000 levels, or more than half as many levels as rows and more than 20 levels (more than 2
 *   when most of its values are numbers: a numeric column with text in it). That is refused with the
 *   fix (`drop: ["id"]`, or forcing a type), since a model could memorise rows by it.
 * - `categorical: [...]` and `numeric: [...]` force a column's type (no 95% rule, no ID rule).
 * - A control character (U+0000–U+001F but tab, LF and CR, or U+007F) in a cell is an error naming line
 *   and column: the file is binary or damaged.
 * - A column of only missing values is refused (drop it).
 */
import { type Column, isNumber, NON_FINITE } from './csv-columns.js';
import { DataError } from './errors.js';
import { count } from './parsed.js';

export const DEFAULT_MISSING: readonly string[] = ['NA', 'N/A', 'n/a', 'na', '?', '', 'null', 'NaN', '-'];
/** The share of non-missing cells that must be numbers for a column to be numeric. */
export const NUMERIC_SHARE = 0.95;
/** An unforced text column with more levels than this is refused as ID-like. */
export const MAX_LEVELS = 1000;
/** ... or with more than ID_SHARE × rows levels and more than ID_MIN_LEVELS (2 when mostly numbers). */
export const ID_SHARE = 0.5;
export const ID_MIN_LEVELS = 20;
/** The largest magnitude a float32 feature holds. */
const FLOAT32_MAX = 3.4028234663852886e38;

const COMMA_NUMBER = /^[+-]?\d+(,\d+)+(\.\d+)?$/;
/** The code of the first control character of `s` (U+0000–U+001F but tab, LF and CR, or U+007F), or -1. */
function controlIn(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return c;
  }
  return -1;
}

export interface Where {
  file: string;
  /** The file line of each row. */
  lines: Int32Array;
}

/** A value as a message shows it: quoted, at most 40 characters. */
export const shown = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);

/** How many rows hold each dictionary entry. */
export function countsOf(col: Column): Int32Array {
  const c = new Int32Array(col.dict.length);
  for (let r = 0; r < col.codes.length; r++) c[col.codes[r]!]!++;
  return c;
}

export const lineOf = (w: Where, col: Column, code: number): number => w.lines[col.codes.indexOf(code)]!;

/** The first entry (in order of first appearance, so of lines) that occurs and satisfies `bad`, or -1. */
export function firstCode(col: Column, counts: Int32Array, bad: (s: string, k: number) => boolean): number {
  for (let k = 0; k < col.dict.length; k++) if (counts[k]! > 0 && bad(col.dict[k]!, k)) return k;
  return -1;
}

/** A control character in a header name or a cell is an error naming the line and column. */
export function checkControl(w: Where, col: Column, counts: Int32Array): void {
  const k = firstCode(col, counts, (s) => controlIn(s) >= 0);
  if (k < 0) return;
  const ch = controlIn(col.dict[k]!);
  throw new DataError(
    w.file,
    `The column ${shown(col.name)} holds a control character (U+${ch.toString(16).toUpperCase().padStart(4, '0')}) in this row: the file is binary or damaged. Remove the character.`,
    { line: lineOf(w, col, k) },
  );
}

export type Forced = 'numeric' | 'categorical' | undefined;

export interface Typed {
  kind: 'numeric' | 'categorical';
  /** The share of the non-missing rows that are numbers. */
  share: number;
}

/** Numeric or categorical, as the module comment says; `missing` marks the dictionary entries that are markers. */
export function typeColumn(w: Where, col: Column, counts: Int32Array, missing: Uint8Array, forced: Forced): Typed {
  let present = 0;
  let numbers = 0;
  let commas = 0;
  col.dict.forEach((s, k) => {
    if (missing[k]) return;
    present += counts[k]!;
    if (isNumber(s)) numbers += counts[k]!;
    else if (COMMA_NUMBER.test(s)) commas += counts[k]!;
  });
  if (present === 0)
    throw new DataError(
      w.file,
      `The column ${shown(col.name)} has no value: every row holds a missing-value marker. Leave it out with drop: [${shown(col.name)}].`,
    );
  const share = numbers / present;
  if (forced === 'categorical') return { kind: 'categorical', share };
  if (forced !== 'numeric' && numbers + commas < NUMERIC_SHARE * present) return { kind: 'categorical', share };
  const bad = firstCode(col, counts, (s, k) => !missing[k] && !(isNumber(s) && Math.abs(Number(s)) <= FLOAT32_MAX));
  if (bad >= 0) throw notANumber(w, col, col.dict[bad]!, share, forced, lineOf(w, col, bad));
  return { kind: 'numeric', share };
}

function notANumber(w: Where, col: Column, s: string, share: number, forced: Forced, line: number): DataError {
  const name = shown(col.name);
  const force = forced === 'numeric' ? '' : `, or force the column's type (categorical: [${name}])`;
  const pct = `${Math.floor(share * 1000) / 10}%`;
  const where = forced === 'numeric' ? `in the column ${name} (declared numeric)` : `in the numeric column ${name}`;
  const comma = COMMA_NUMBER.test(s);
  const why = isNumber(s)
    ? 'is beyond the largest number a feature holds (about 3.4e38)'
    : NON_FINITE.test(s)
      ? 'is not a finite number'
      : comma
        ? 'has a comma: mia reads a dot as the decimal mark and no thousands separator. Convert the column'
        : `is not a number (${pct} of the column's values are numbers)`;
  const fix = comma ? force : `. Fix it, add it to the missing markers (missing: ${shown(s)})${force}`;
  return new DataError(w.file, `The value ${shown(s)} ${where} ${why}${fix}.`, { line });
}

/**
 * An unforced categorical column with nearly one level per row (an ID, a name, a free-text field) is
 * refused, its fix named; `share` is the share of its values that are numbers (for the message).
 */
export function checkLevels(w: Where, col: Column, levels: number, rows: number, share: number): void {
  const min = share >= 0.5 ? 2 : ID_MIN_LEVELS;
  if (levels <= MAX_LEVELS && !(levels > min && levels > ID_SHARE * rows)) return;
  const name = shown(col.name);
  const why =
    levels > ID_SHARE * rows
      ? 'more than half as many as rows, like an ID: a model could memorise rows by it'
      : `more than ${count(MAX_LEVELS)}, one feature each`;
  const numeric =
    share >= 0.5
      ? ` ${Math.floor(share * 1000) / 10}% of its values are numbers: if it is numeric, force it (numeric: [${name}]) and mark the rest missing (missing:).`
      : ` If it is a category, force it (categorical: [${name}]).`;
  throw new DataError(
    w.file,
    `The text column ${name} has ${count(levels)} distinct values in ${count(rows)} rows (${why}). Leave it out with drop: [${name}].${numeric}`,
  );
}

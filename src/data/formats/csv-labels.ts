/**
 * The label column → classes 0..k−1 by the sorted distinct values. When every label is a number they
 * compare as numbers (`1`, `1.0` and `+1` are one class, named `1`; `2` < `10`), and a label that is
 * not finite (`inf`, `1e999`, an overflow) is an error at its line; otherwise labels are strings in
 * code-unit order. At most MAX_CLASSES classes (a label column with more is likely a number to
 * predict, or the wrong column). A class with a single row is noted, with its line (a stray label).
 */
import { type Column, isNumber, NON_FINITE, sortedLevels } from './csv-columns.js';
import { countsOf, firstCode, lineOf, shown, type Where } from './csv-types.js';
import { DataError, MAX_CLASSES } from './errors.js';
import { count } from './parsed.js';

export interface Labels {
  names: string[];
  y: Int32Array;
  notes: string[];
}

/** Each used dictionary entry's number, or null when some label is not a number. */
function numericLabels(w: Where, col: Column, counts: Int32Array): Float64Array | null {
  if (firstCode(col, counts, (s) => !isNumber(s) && !NON_FINITE.test(s)) >= 0) return null;
  const values = Float64Array.from(col.dict, Number);
  const bad = firstCode(col, counts, (_, k) => !Number.isFinite(values[k]!));
  if (bad >= 0)
    throw new DataError(
      w.file,
      `The label ${shown(col.dict[bad]!)} in ${shown(col.name)} is not a finite number${isNumber(col.dict[bad]!) ? ' (it overflows)' : ''}; labels are numbers here, so fix it or remove the row.`,
      { line: lineOf(w, col, bad) },
    );
  return values;
}

/** Class names and the class of each dictionary entry. */
function classesOf(w: Where, col: Column, counts: Int32Array): { names: string[]; classOf: Int32Array } {
  const values = numericLabels(w, col, counts);
  if (values) {
    const distinct = [...new Set(col.dict.map((_, k) => values[k]!).filter((_, k) => counts[k]! > 0))].sort(
      (a, b) => a - b,
    );
    const index = new Map(distinct.map((v, i) => [v, i]));
    return { names: distinct.map(String), classOf: Int32Array.from(values, (v) => index.get(v) ?? -1) };
  }
  const names = sortedLevels(col);
  const index = new Map(names.map((n, i) => [n, i]));
  return { names, classOf: Int32Array.from(col.dict, (s) => index.get(s) ?? -1) };
}

export function encodeLabels(w: Where, col: Column): Labels {
  const counts = countsOf(col);
  const { names, classOf } = classesOf(w, col, counts);
  if (names.length > MAX_CLASSES)
    throw new DataError(
      w.file,
      `The label column ${shown(col.name)} has ${count(names.length)} distinct values; mia takes at most ${count(MAX_CLASSES)} classes. Is it the column to predict (a class, not a number)?`,
    );
  const y = new Int32Array(col.codes.length);
  const sizes = new Int32Array(names.length);
  for (let r = 0; r < y.length; r++) sizes[(y[r] = classOf[col.codes[r]!]!)]!++;
  const notes: string[] = [];
  const single = sizes.indexOf(1);
  if (single >= 0 && names.length > 2)
    notes.push(
      `The class ${shown(names[single]!)} has a single row (line ${w.lines[y.indexOf(single)]}): a stray label?`,
    );
  return { names, y, notes };
}

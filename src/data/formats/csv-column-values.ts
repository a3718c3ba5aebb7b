/**
 * A column's raw value per record of a CSV dataset, for slicing results by it (`report { slices ["sex"] }`):
 * the cell as written (trimmed), in the order of the records `parseCsv` keeps, so value i belongs to
 * record i. The column may be a feature, a dropped column or the label; a missing-value marker reads as
 * `(missing)`. The file is parsed as `parseCsv` parses it (same separator, header and dropped rows).
 */
import { type CsvOptions, csvLayout, droppedRows } from './csv.js';

/** The value of a cell that holds a missing-value marker. */
export const MISSING_VALUE = '(missing)';

/** A column's values, one per record; or, when the file has no such column, the columns it has. */
export type ColumnValues = { values: string[] } | { unknown: true; names: string[] };

export function csvColumnValues(
  input: string | Uint8Array,
  file: string,
  opts: CsvOptions,
  name: string,
): ColumnValues {
  const { t, layout } = csvLayout(input, file, opts);
  const c = t.names.indexOf(name.trim());
  if (c < 0) return { unknown: true, names: t.names };
  const { drop, kept, markers } = droppedRows(file, opts, t, layout);
  const col = t.columns[c]!;
  const values = new Array<string>(kept);
  for (let r = 0, k = 0; r < col.codes.length; r++) {
    if (drop[r]) continue;
    const v = col.dict[col.codes[r]!]!;
    values[k++] = markers.has(v) ? MISSING_VALUE : v;
  }
  return { values };
}

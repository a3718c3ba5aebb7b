/**
 * A CSV file: one record a line, one column the label (by name, or by 0-based index with
 * `label_column`). Header `auto` (the default) decides from the first line; the separator is detected
 * (`,` `, ` `;` tab) unless given. Fields and header names are trimmed. Cells equal to a missing-value
 * marker (`NA`, `?`, empty, … and `missing`) are missing: their row is dropped by default
 * (`on_missing: drop`; the run prints how many), or filled with the column's mode or median
 * (`on_missing: impute`); a missing label always drops its row. A column is numeric when 95% of its
 * other cells are numbers, else categorical (one-hot); `categorical` and `numeric` force a type,
 * `drop` leaves columns out (formats/csv-types.ts). A `membership` column says which records the target
 * trained on (formats/csv-membership.ts): never a feature, it gives the subsets `d.members` and
 * `d.nonmembers`. Normalisation is fitted on the whole dataset (see
 * parsed-source.ts).
 */
import { type CsvOptions, parseCsv } from '../formats/csv.js';
import { csvColumnValues } from '../formats/csv-column-values.js';
import { csvMembership } from '../formats/csv-membership.js';
import { DataError, readBytes } from '../formats/errors.js';
import { defineSource, normalize, type SourceContext } from '../source.js';
import { factsFrom, loadFrom, type ParseRequest, pathIn } from './parsed-source.js';
import type { SettingsOf } from '../../kinds/schema.js';

const settings = {
  path: { type: 'string', doc: 'The file, relative to the spec.' },
  label: { type: 'string', default: null, doc: 'The name of the label column (header names are trimmed).' },
  label_column: {
    type: 'number',
    integer: true,
    bound: 'nonNegative',
    default: null,
    doc: 'The label column by 0-based index, instead of label (for a file without a header).',
  },
  header: {
    type: 'enum',
    options: ['auto', 'true', 'false'],
    default: 'auto',
    doc: 'Whether the first line names the columns; auto: when it holds no number where later lines do.',
  },
  separator: {
    type: 'string',
    default: null,
    doc: 'The field separator ("," ", " ";" or a tab); detected when absent.',
  },
  missing: {
    type: 'string',
    default: null,
    doc: 'A missing-value marker besides NA, N/A, n/a, na, ?, the empty cell, null, NaN and -.',
  },
  on_missing: {
    type: 'enum',
    options: ['drop', 'impute'],
    default: 'drop',
    doc: "A row with a missing value: dropped (counted in the run's notes), or filled with the column's mode or median (and an indicator feature).",
  },
  categorical: {
    type: 'strings',
    auto: true,
    default: 'auto',
    doc: 'Columns forced categorical (one-hot encoded); the others, or all with auto: numeric when 95% of their values are numbers.',
  },
  numeric: { type: 'strings', default: null, doc: 'Columns forced numeric (every value a number or missing).' },
  drop: { type: 'strings', default: null, doc: 'Columns left out (an ID, a name).' },
  membership: {
    type: 'string',
    default: null,
    doc: 'A column saying which records the target trained on (1/0, true/false, member/nonmember): never a feature; d.members and d.nonmembers are its records.',
  },
  normalize: normalize('standard'),
} as const;

function csvOptions(s: SettingsOf<typeof settings>, ctx: SourceContext): { file: string; options: CsvOptions } {
  const file = pathIn(ctx, s.path);
  if (s.label === null && s.label_column === null)
    throw new DataError(
      file,
      'Name the label column: label: "name" (as in the header), or label_column: 0-based index.',
    );
  const options = {
    label: s.label_column ?? s.label ?? '',
    header: s.header === 'auto' ? ('auto' as const) : s.header === 'true',
    ...(s.separator !== null ? { separator: s.separator } : {}),
    missing: s.missing,
    onMissing: s.on_missing,
    categorical: s.categorical,
    numeric: s.numeric ?? [],
    drop: s.drop ?? [],
    ...(s.membership !== null ? { membership: s.membership } : {}),
  };
  return { file, options };
}

function csvRequest(s: SettingsOf<typeof settings>, ctx: SourceContext): ParseRequest {
  const { file, options } = csvOptions(s, ctx);
  // `typing` versions the rules of csv-types.ts in the cache key: parses made under older rules miss.
  return {
    format: 'csv',
    files: [file],
    options: { ...options, typing: 2 },
    normalize: s.normalize,
    parse: ([b]) => parseCsv(b!, file, options),
  };
}

export const csv = defineSource({
  kind: 'csv',
  summary: 'A CSV file (header line or none); one column is the label.',
  positional: ['path'],
  settings,
  modality: () => 'tabular',
  load: (s, ctx) => loadFrom(csvRequest(s, ctx), ctx),
  facts: (s, ctx) => {
    const f = factsFrom(csvRequest(s, ctx), ctx);
    if (s.membership === null) return f;
    const { file, options } = csvOptions(s, ctx);
    return {
      ...f,
      membership: csvMembership(readBytes(file, 'CSV file'), file, { ...options, membership: s.membership }),
    };
  },
  column: (s, ctx, name) => {
    const { file, options } = csvOptions(s, ctx);
    return csvColumnValues(readBytes(file, 'CSV file'), file, options, name);
  },
});

/**
 * A CSV's membership column (`csv("records.csv") { label: "y", membership: "member" }`): which records
 * the target trained on, one value per record in the order `parseCsv` keeps them. The column is never a
 * feature (csv.ts drops it). Its values are 1 or 0, true or false, member or nonmember, in any case;
 * any other value or an empty cell is an error naming the file, the line and the column, and so is a
 * column whose kept rows are all members or all non-members (an attack needs both).
 */
import { type CsvOptions, csvLayout, droppedRows } from './csv.js';
import { shown } from './csv-types.js';
import { DataError } from './errors.js';

const MEMBER = new Set(['1', 'true', 'member']);
const NONMEMBER = new Set(['0', 'false', 'nonmember']);

/** What a membership cell says: 1 member, 0 non-member; anything else is an error at its line. */
function flag(file: string, column: string, cell: string, line: number): number {
  const v = cell.trim().toLowerCase();
  if (MEMBER.has(v)) return 1;
  if (NONMEMBER.has(v)) return 0;
  const what = v === '' ? 'is empty' : `holds ${shown(cell)}`;
  throw new DataError(
    file,
    `The membership column ${shown(column)} ${what} in this row; write 1 or 0, true or false, member or nonmember (any case).`,
    { line },
  );
}

/** Per record kept by parseCsv, 1 for a member and 0 for a non-member (every row of the file is checked). */
export function csvMembership(input: string | Uint8Array, file: string, opts: CsvOptions & { membership: string }) {
  const { t, layout } = csvLayout(input, file, opts);
  const name = opts.membership.trim();
  const col = t.columns[t.names.indexOf(name)]!;
  const { drop, kept } = droppedRows(file, opts, t, layout);
  const out = new Uint8Array(kept);
  for (let r = 0, k = 0; r < col.codes.length; r++) {
    const f = flag(file, name, col.dict[col.codes[r]!]!, t.lines[r]!);
    if (!drop[r]) out[k++] = f;
  }
  const members = out.reduce((a, b) => a + b, 0);
  if (members === 0 || members === kept) {
    const lines = `lines ${t.lines[0]} to ${t.lines[t.lines.length - 1]}`;
    throw new DataError(
      file,
      `Every record (${lines}) is a ${members ? 'member' : 'non-member'} in the membership column ${shown(name)}; an attack needs members and non-members both.`,
    );
  }
  return out;
}

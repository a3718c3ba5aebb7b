/**
 * Reads `report { slices [class, "sex"] }`: `class` (the true class; its slices are always computed) or a
 * table's column by its name in quotes. Whether the column exists is known once the data is read (the
 * planner, plan/slices.ts); here only the form: E157 for anything else, W157 for a slice listed twice.
 */
import { clip, type Entry, type Expr } from '../../lang/index.js';
import type { SliceDef } from '../../kinds/program.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';

const HINT = 'Slices are class or a column of the table in quotes: slices [class, "sex"].';

/** `{ slices }` as declared (`{}` without a slices entry, or an empty one); undefined after an error. */
export function readSlices(ctx: ReadContext, entry: Entry | undefined): { slices?: SliceDef[] } | undefined {
  const { r } = ctx;
  if (!entry) return {};
  const items = r.list(entry.value, "The report's slices");
  if (!items) return undefined;
  const out: SliceDef[] = [];
  let ok = true;
  for (const item of items) {
    const s = readSlice(ctx, item);
    if (!s) {
      ok = false;
      continue;
    }
    const name = s.by === 'class' ? 'class' : `"${clip(s.column)}"`;
    if (out.some((o) => o.by === s.by && (o.by === 'class' || (s.by === 'column' && o.column === s.column))))
      r.warn('W157', `The slice ${name} is listed twice; it is reported once.`, item.range, 'Remove the repeat.');
    else out.push(s);
  }
  return ok ? (out.length ? { slices: out } : {}) : undefined;
}

function readSlice(ctx: ReadContext, e: Expr): SliceDef | undefined {
  const { r } = ctx;
  const place = { file: r.file, range: e.range };
  if (e.kind === 'ident' && e.name === 'class') return { by: 'class', ...place };
  if (e.kind === 'string') {
    if (e.value.trim() === '') {
      r.error('E157', 'A slice names a column, and "" names none.', e.range, HINT);
      return undefined;
    }
    if (e.value.trim() === 'class') {
      r.error('E157', 'The slices by "class" are those by the true class: write class, without quotes.', e.range, HINT);
      return undefined;
    }
    return { by: 'column', column: e.value.trim(), ...place };
  }
  if (e.kind === 'ident') {
    const near = didYouMean(e.name, ['class']);
    r.error(
      'E157',
      `Unknown slice "${clip(e.name)}".${near || ` A column's name is written in quotes: "${clip(e.name)}".`}`,
      e.range,
      HINT,
    );
    return undefined;
  }
  r.error('E157', 'A slice is class or a column name in quotes.', e.range, HINT);
  return undefined;
}

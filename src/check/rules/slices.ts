/**
 * E158: slices by a column (`report { slices ["sex"] }`, `lira["sex"].auc < 0.6`) need a table whose columns
 * have names: the dataset of every target's candidates must be such a source (a CSV file). Whether the column
 * is in the file, and how many values it takes, is the planner's (plan/slices.ts), once the file is read.
 */
import { sourceOf } from '../../data/sources/index.js';
import type { DatasetDef } from '../../kinds/program.js';
import { modality } from '../facts.js';
import type { Rule } from './rule.js';

/** Why slices by a column cannot be taken of this dataset; null when they can. */
function noColumns(ds: DatasetDef): string | null {
  if (modality(ds.source) !== 'tabular') return `holds ${modality(ds.source)}s, which have no columns`;
  if (!sourceOf(ds.source).column) return `is generated (${ds.source.kind}), with no named columns`;
  return null;
}

export const slices: Rule = {
  name: 'slices',
  codes: ['E158'],
  run(ctx) {
    const p = ctx.program;
    const columns = (p.report?.slices ?? []).filter((s) => s.by === 'column');
    if (!columns.length) return;
    const names = new Set(p.targets.flatMap((t) => [t.members.dataset, t.nonmembers.dataset]));
    const ds = [...names].flatMap((n) => p.datasets.filter((d) => d.name === n));
    const bad = ds.map((d) => [d, noColumns(d)] as const).find(([, why]) => why !== null);
    if (!bad) return;
    for (const s of columns)
      ctx.error(
        'E158',
        `Slices by the column "${s.column.length > 40 ? `${s.column.slice(0, 39)}…` : s.column}" need a table with named columns, and the dataset "${bad[0].name}" ${bad[1]}.`,
        { file: s.file, range: s.range },
        'Slice by class, or read the records from a CSV file: csv("file.csv") { label: "..." }.',
      );
  },
};

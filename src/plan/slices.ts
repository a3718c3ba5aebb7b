/**
 * E411: the columns results are sliced by (`report { slices ["sex"] }`) are checked against the data once it
 * is read, before any job runs: the column is in the file (a near name suggested), and takes at most
 * MAX_SLICE_VALUES distinct values among each target's candidates (a slice per value is reported; an ID or a
 * continuous column would give hundreds of one-record slices).
 */
import { DataError, datasetColumn, type ColumnValues } from '../data/index.js';
import type { SliceDef, TypedProgram } from '../check/index.js';
import { didYouMean } from '../util/suggest.js';
import { errorAt, PlanStop } from './compile-common.js';
import type { DatasetInfo, RunPlan } from './plan.js';

/** The most distinct values a slice column may take among a target's candidates. */
export const MAX_SLICE_VALUES = 50;

const quoted = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 39)}…` : s);

/** The key of a dataset's column in `Plan.sliceValues`. */
export const sliceKey = (dataset: string, column: string): string => JSON.stringify([dataset, column]);

/**
 * The columns of the report's slices, each checked against every run's target data, and the values read
 * (per `sliceKey`, null when the data has no such column); undefined when there are none.
 */
export function sliceColumns(
  program: TypedProgram,
  datasets: readonly DatasetInfo[],
  runs: readonly RunPlan[],
): { columns: string[]; values: Map<string, readonly string[] | null> } | undefined {
  const defs = (program.report.slices ?? []).filter((s): s is Extract<SliceDef, { by: 'column' }> => s.by === 'column');
  if (!defs.length) return undefined;
  const read = new Map<string, ColumnValues | null>();
  for (const def of defs)
    for (const run of runs) {
      const ref = datasets.find((d) => d.name === run.target.dataset);
      if (!ref) continue;
      const key = sliceKey(ref.name, def.column);
      if (!read.has(key)) read.set(key, columnOf(ref, def));
      checkValues(def, run, ref, read.get(key)!);
    }
  const values = new Map([...read].map(([k, c]) => [k, c && 'values' in c ? c.values : null] as const));
  return { columns: defs.map((d) => d.column), values };
}

function columnOf(ref: DatasetInfo, def: Extract<SliceDef, { by: 'column' }>): ColumnValues | null {
  try {
    return datasetColumn(ref, def.column);
  } catch (e) {
    if (e instanceof DataError) throw errorAt('E411', e.message, def);
    throw e;
  }
}

function checkValues(
  def: Extract<SliceDef, { by: 'column' }>,
  run: RunPlan,
  ref: DatasetInfo,
  col: ColumnValues | null,
): void {
  const name = quoted(def.column);
  if (col === null) throw errorAt('E411', `The dataset "${ref.name}" has no named columns to slice by ${name}.`, def);
  if ('unknown' in col) {
    const shown = col.names.slice(0, 30).map(quoted).join(', ') + (col.names.length > 30 ? ', …' : '');
    throw new PlanStop({
      code: 'E411',
      severity: 'error',
      message: `There is no column ${name} in the data of "${ref.name}" to slice by.${didYouMean(def.column, col.names)}`,
      hint: `Its columns: ${shown}.`,
      file: def.file,
      range: def.range,
    });
  }
  const t = run.target;
  const values = new Set([...t.members, ...t.nonmembers].map((r) => col.values[r]));
  if (values.size > MAX_SLICE_VALUES)
    throw new PlanStop({
      code: 'E411',
      severity: 'error',
      message: `The column ${name} takes ${values.size} distinct values among the ${t.members.length + t.nonmembers.length} candidates of target "${t.name}"; slices are reported for at most ${MAX_SLICE_VALUES} values.`,
      hint: 'Slice by a column with few values (a category), or add a binned copy of this one to the file.',
      file: def.file,
      range: def.range,
    });
}

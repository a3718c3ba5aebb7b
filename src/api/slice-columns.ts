/** The column values results are sliced by (`report { slices ["sex"] }`): read once per dataset and column. */
import { datasetColumn } from '../data/index.js';
import type { Plan } from '../plan/index.js';
import type { ColumnsOf } from '../report/index.js';

/** The planner checked each column against the data (plan/slices.ts); a column that has gone since reads as null. */
export function sliceColumnValues(plan: Plan): ColumnsOf {
  const read = new Map<string, readonly string[] | null>();
  return (dataset, column) => {
    const key = JSON.stringify([dataset, column]);
    if (!read.has(key)) {
      const ref = plan.datasets.find((d) => d.name === dataset);
      const c = ref ? datasetColumn(ref, column) : null;
      read.set(key, c && 'values' in c ? c.values : null);
    }
    return read.get(key)!;
  };
}

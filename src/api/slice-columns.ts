/** The column values results are sliced by (`report { slices ["sex"] }`): those the planner read to check them. */
import type { Plan } from '../plan/index.js';
import type { ColumnsOf } from '../report/index.js';

/** The planner checked each column against the data (plan/slices.ts) and kept its values: no file is read again. */
export function sliceColumnValues(plan: Plan): ColumnsOf {
  return (dataset, column) => plan.sliceValues?.get(JSON.stringify([dataset, column])) ?? null;
}

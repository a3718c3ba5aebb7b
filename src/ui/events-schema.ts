/**
 * The lines of `mia run --json` (and `--reporter json=FILE`), defined once with zod: the executor's events
 * (src/run/events.ts), the expectations' verdicts, then `resultsWritten`. `npm run build` publishes it as
 * dist/schemas/events.schema.json; the library's run yields the executor's events of the same schema.
 */
import { z } from 'zod';
import { OPEN } from '../report/results-schema.js';
import { RUN_EVENTS } from '../run/events.js';
import type { ResultsWritten } from './run-state.js';

/** The last line of a complete run: where its files went, and the metrics without per-record samples. */
export const RESULTS_WRITTEN = z.object({
  type: z.literal('resultsWritten'),
  results: z.string(),
  report: z.string().nullable(),
  summary: z.array(OPEN.runSummary),
  at: z.number(),
});

/** Before `resultsWritten` when the spec states expectations: their verdicts, as in results.json. */
export const EXPECTATIONS_LINE = z.object({ type: z.literal('expectations'), expectations: z.array(OPEN.expectation) });

export const JSON_LINE = z.discriminatedUnion('type', [...RUN_EVENTS, EXPECTATIONS_LINE, RESULTS_WRITTEN]);
export type JsonLine = z.infer<typeof JSON_LINE>;

// the type the views use and the schema say the same (a field added to one and not the other fails to compile)
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _resultsWritten: Same<
  Pick<z.infer<typeof RESULTS_WRITTEN>, 'type' | 'results' | 'report' | 'at'>,
  Omit<ResultsWritten, 'summary'>
> = true;
void _resultsWritten;

/**
 * The run state as the views see it: run/'s reducer (src/run/run-state.ts) with the summary of a run
 * that report/ gives (RunSummary). Every reporter is a view of this state.
 */
import type { RunSummary } from '../report/summary.js';
import * as run from '../run/run-state.js';

export type ResultsWritten = run.ResultsWritten<RunSummary>;
export type ReporterEvent = run.ReporterEvent<RunSummary>;
export type RunState = run.RunState<RunSummary>;

export const initialState = (): RunState => run.initialState<RunSummary>();
export const reduce = (s: RunState, e: ReporterEvent): RunState => run.reduce(s, e);
export const reduceAll = (events: Iterable<ReporterEvent>, s: RunState = initialState()): RunState =>
  run.reduceAll(events, s);
export {
  JOB_STATUSES,
  type JobState,
  type JobStatus,
  jobFraction,
  overall,
  type QueueWorkerState,
  workerRows,
} from '../run/run-state.js';

/**
 * The library: what `import { run } from 'mia'` gives (README, "mia as a library"). Every function takes a spec
 * as a path or a text, returns typed values, and fails with a MiaError (its kind, its diagnostics), never a bare
 * string. The CLI's run and attack commands share their steps with it.
 */
export { MiaError, type MiaErrorKind } from './errors.js';
export { check, parse, plan, type Checked, type Planned, type PlanOptions, type SpecInput } from './spec.js';
export { MiaRun, miaVersion, run, type RunOptions, type RunOutcome } from './run.js';
export {
  audit,
  compareResults,
  readResults,
  resultsProblemOf,
  scoreSignals,
  signalKinds,
  type ScoreSignalsOptions,
} from './results.js';
export { SIGNALS_FILE, type SignalsFile } from './signals-schema.js';
export { schemas } from './schemas.js';

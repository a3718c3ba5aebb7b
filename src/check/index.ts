export { check } from './check.js';
export { unsupportedForRun } from './runnable.js';
export * from './program.js';
export { suggest, didYouMean } from './suggest.js';
export { checkSweep, applySweepPoint, sweepPoints, type SweepAssignment, type SweepValue } from './sweep.js';

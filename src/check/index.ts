export { check } from './check.js';
export { loadImports, type Module, type ModuleHost } from './modules.js';
export { unsupportedForRun } from './runnable.js';
export { releaseOf } from './target-release.js';
export { modality, recordCount, type Modality } from './facts.js';
export * from '../kinds/program.js';
export { suggest, didYouMean } from '../util/suggest.js';
export { checkSweep, applySweepPoint, sweepPoints, type SweepAssignment, type SweepValue } from './sweep.js';
export * from '../kinds/expectations.js';

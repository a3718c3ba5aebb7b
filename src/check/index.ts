export { check } from './check.js';
export { unsupportedForRun } from './runnable.js';
export * from './program.js';
export { suggest, didYouMean } from './suggest.js';

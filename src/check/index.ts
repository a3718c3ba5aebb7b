export { check } from './check.js';
export * from './program.js';
export { suggest, didYouMean } from './suggest.js';

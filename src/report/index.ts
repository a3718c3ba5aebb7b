export * from './results.js';
export { resultsTable } from './table.js';
export * from './expectations.js';

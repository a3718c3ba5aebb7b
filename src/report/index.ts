export * from './expectations.js';
export * from './results.js';
export { resultsTable } from './table.js';

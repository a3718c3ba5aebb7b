export * from './results.js';
export { resultsTable } from './table.js';

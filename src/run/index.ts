export * from './events.js';
export { execute, type ExecuteOptions, type ExecuteResult } from './executor.js';
export { runJob, loadDataset, type JobOutput } from './jobs.js';

export * from './events.js';
export {
  execute,
  defaultJobs,
  finalJobs,
  type ExecuteOptions,
  type ExecuteResult,
  type JobRunner,
  type RemoteRunner,
} from './executor.js';
export type { JobOutput, Progress } from './jobs.js';
export { Cache, type CacheRead } from './cache.js';
export { WorkerPool } from './pool.js';
export { schedule, type SchedJob, type ScheduleResult, type ScheduleHooks } from './scheduler.js';
export { encodeOutput, decodeOutput } from './codec.js';

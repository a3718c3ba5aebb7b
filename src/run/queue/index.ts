export { Coordinator, type CoordinatorOptions, type QueueRecord } from './coordinator.js';
export { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from './worker.js';
export { parseQueueUrl, QueueAddressError, scrub, type QueueAddress } from './url.js';
export { probe, QueueUnreachable } from './connect.js';
export { queueName, storeId } from './store-id.js';
export { QUEUE_PREFIX, type JobDone, type WorkerStamp } from './message.js';

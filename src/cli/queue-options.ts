/** `--queue URL` and its companions, shared by `mia run` (the coordinator) and `mia worker`. */
import { parseQueueUrl, QueueAddressError, type QueueAddress } from '../run/queue/url.js';
import { UsageError } from './errors.js';
import { numberOption } from './options.js';

export const queueOption = {
  queue: {
    type: 'string',
    value: 'URL',
    help: 'redis://[:PASSWORD@]HOST:PORT (rediss:// for TLS): run the jobs on `mia worker` processes through it',
  },
} as const;

export const retriesOption = {
  retries: {
    type: 'string',
    value: 'N',
    help: 'with --queue: attempts after a job fails before its dependents are given up (default 2)',
  },
} as const;

export function queueAddress(url: string): QueueAddress {
  try {
    return parseQueueUrl(url);
  } catch (e) {
    if (e instanceof QueueAddressError) throw new UsageError(e.message);
    throw e;
  }
}

export const retriesChoice = (v: string | undefined): number =>
  v === undefined
    ? 2
    : numberOption('retries', v, (x) => Number.isInteger(x) && x >= 0 && x <= 100, 'a whole number from 0 to 100');

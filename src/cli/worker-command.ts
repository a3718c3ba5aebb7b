/**
 * `mia worker --queue URL --store DIR [--jobs N]`: runs jobs from the queue on this machine until stopped
 * (Ctrl-C or TERM: the running jobs finish first; a second signal stops at once, and their locks expire).
 */
import { resolve } from 'node:path';
import { requireWritableFolder } from '../pipeline/index.js';
import { Cache, defaultJobs } from '../run/index.js';
import { oneLine } from '../util/escape.js';
import { defineCommand } from './command.js';
import { UsageError, UserError } from './errors.js';
import { numberOption, pluginOption } from './options.js';
import { loadPluginsOrExplain } from './plugins.js';
import { capJobs, parseJobs } from './prepare.js';
import { queueAddress, queueOption } from './queue-options.js';

export interface WorkerOptions {
  queue: string;
  store: string;
  jobs: number;
  lockMs: number;
}

export async function workerCommand(
  o: WorkerOptions,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const address = queueAddress(o.queue);
  const dir = resolve(o.store);
  requireWritableFolder(dir, { what: 'The store', option: '--store' });
  const log = (line: string): void => out(`${oneLine(line)}\n`);
  // BullMQ loads only when a worker starts (every other command starts without it).
  const { QueueUnreachable, startQueueWorker } = await import('../run/queue/index.js');
  let worker;
  try {
    worker = await startQueueWorker({ address, store: new Cache(dir), jobs: o.jobs, lockMs: o.lockMs, log });
  } catch (e) {
    if (e instanceof QueueUnreachable) throw new UserError(e.message);
    throw e;
  }
  log(
    `mia worker ${worker.stamp.worker}: ${o.jobs} job${o.jobs === 1 ? '' : 's'} at once from ${address.shown}, store ${dir}`,
  );
  const code = await new Promise<number>((done) => {
    let stopping = false;
    const stop = (code: number) => () => {
      if (stopping) {
        err('mia worker: stopped now; the jobs it was running go to another worker when their locks expire.\n');
        const late = new Promise((r) => setTimeout(r, 3000).unref());
        void Promise.race([worker.close(true), late]).then(() => done(code));
        return;
      }
      stopping = true;
      err('mia worker: finishing the running jobs (signal again to stop now).\n');
      void worker.close(false).then(() => done(code));
    };
    process.on('SIGINT', stop(130));
    process.on('SIGTERM', stop(143));
  });
  return code;
}

export const workerCli = defineCommand({
  name: 'worker',
  summary: 'run jobs from a queue (mia run --queue) on this machine',
  usage: '--queue URL --store DIR [options]',
  details:
    'The store is the folder every worker and the coordinator share (a network mount across machines): inputs are read from it and verified, outputs written to it.',
  options: {
    ...queueOption,
    store: {
      type: 'string',
      value: 'DIR',
      help: "the shared store: the coordinator's cache folder, as this machine sees it",
    },
    jobs: {
      type: 'string',
      value: 'N',
      help: 'jobs at once (worker threads), at most the number of cores (default: that number)',
    },
    'lock-seconds': {
      type: 'string',
      value: 'S',
      help: 'how long a job stays locked to a worker that stopped answering before another takes it (default 30)',
    },
    ...pluginOption,
  },
  run: async ({ values: v, positionals }, io) => {
    if (positionals.length > 0) throw new UsageError('mia worker takes no file: give --queue URL --store DIR.');
    if (v.queue === undefined)
      throw new UsageError('mia worker needs --queue URL (the redis:// URL mia run --queue uses).');
    if (v.store === undefined)
      throw new UsageError('mia worker needs --store DIR (the folder the coordinator caches in).');
    await loadPluginsOrExplain(v.plugin);
    const lock =
      v['lock-seconds'] === undefined
        ? 30
        : numberOption('lock-seconds', v['lock-seconds'], (x) => x >= 0.5 && x <= 86_400, 'seconds from 0.5 to 86400');
    return workerCommand(
      {
        queue: v.queue,
        store: v.store,
        jobs: capJobs(parseJobs(v.jobs, defaultJobs()), io.err),
        lockMs: Math.round(lock * 1000),
      },
      io.out,
      io.err,
    );
  },
});

/**
 * A worker thread: its own tfjs on the backend the run chose; runs one job at a time through runJob
 * and sends the output back with its buffers transferred, not copied. It lives for the whole run, so
 * tfjs loads once per worker, and the datasets come from the pool in shared memory, parsed once per run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, type BackendChoice } from '../ml/index.js';
import { transferables } from './codec.js';
import { provideDataset, runJob } from './jobs.js';
import { importPlugin } from './plugins.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread.');
const init = workerData as WorkerInit;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

try {
  for (const url of init.plugins ?? []) await importPlugin(url);
  const backend = await initBackend(init.backend as BackendChoice);
  port.on('message', (m: ToWorker) => {
    void (async () => {
      try {
        for (const ds of m.shared ?? []) provideDataset(ds, m.datasets);
        const inputs = new Map(m.inputs);
        const output = await runJob(m.spec, m.datasets, inputs, (done, total, note, train) => {
          send({
            type: 'progress',
            jobId: m.jobId,
            done,
            total,
            ...(note ? { note } : {}),
            ...(train ? { train } : {}),
          });
        });
        send({ type: 'done', jobId: m.jobId, output }, transferables(output));
      } catch (e) {
        send({ type: 'failed', jobId: m.jobId, error: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
  send({ type: 'ready', backend });
} catch (e) {
  send({ type: 'initFailed', error: e instanceof Error ? e.message : String(e) });
}

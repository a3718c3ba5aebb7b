/** `mia run --queue URL`: the run's coordinator, its store the run's cache folder. */
import type { Coordinator } from '../run/queue/index.js';
import type { Plan } from '../plan/index.js';
import type { Cache, EventSink } from '../run/index.js';
import { UserError } from './errors.js';
import { queueAddress } from './queue-options.js';

/** Jobs on the queue at once: every ready job, up to this many (the workers decide how many run). */
export const IN_FLIGHT = 10_000;

export async function openCoordinator(
  url: string,
  plan: Plan,
  store: Cache | null,
  emit: EventSink,
  retries: number,
): Promise<Coordinator> {
  if (!store)
    throw new UserError(
      '--no-cache cannot be used with --queue: the workers hand their outputs over through the store (the cache folder). Give a fresh --cache DIR to compute everything again.',
    );
  // BullMQ loads only for a run with --queue (every other command starts without it).
  const { Coordinator, QueueUnreachable } = await import('../run/queue/index.js');
  try {
    return await Coordinator.open({ address: queueAddress(url), store, plan, emit, attempts: retries + 1 });
  } catch (e) {
    if (e instanceof QueueUnreachable) throw new UserError(e.message);
    throw e;
  }
}

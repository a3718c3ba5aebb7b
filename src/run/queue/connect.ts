/** Reaching Redis: a bounded probe before any work, and the options every BullMQ connection gets. */
import { Redis, type RedisOptions } from 'ioredis';
import { type QueueAddress, scrub } from './url.js';

/** Redis could not be reached or refused us: the message names the (masked) URL and what to do. */
export class QueueUnreachable extends Error {}

/** Options for BullMQ's own connections: retried for a while after a drop, never forever in a run. */
export function bullConnection(a: QueueAddress, giveUpMs: number | null): RedisOptions {
  return {
    ...a.options,
    maxRetriesPerRequest: null,
    connectTimeout: 5000,
    retryStrategy: (times) => (giveUpMs !== null && times * 500 > giveUpMs ? null : Math.min(times * 200, 2000)),
  };
}

/** Connects once (5 s at most) and pings; throws QueueUnreachable with one clear line otherwise. */
export async function probe(a: QueueAddress, timeoutMs = 5000): Promise<void> {
  const client = new Redis({
    ...a.options,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let first: unknown = null; // the socket's own error ("connection refused"), before "Connection is closed"
  client.on('error', (e) => {
    first ??= e;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new QueueUnreachable(
      `Cannot use the queue at ${a.shown}: ${why(first ?? e, a)}. Start Redis there, or fix the URL given to --queue.`,
    );
  } finally {
    client.disconnect();
  }
}

function why(e: unknown, a: QueueAddress): string {
  const m = scrub(e instanceof Error ? e.message : String(e), a.secret);
  if (/NOAUTH|WRONGPASS|invalid password|invalid username-password/i.test(m))
    return 'it refused the password (give redis://:PASSWORD@HOST:PORT, or the right one)';
  if (/ECONNREFUSED/.test(m)) return 'nothing listens there (connection refused)';
  if (/ETIMEDOUT|timeout/i.test(m)) return 'it did not answer in time';
  return m.split('\n')[0] ?? m;
}

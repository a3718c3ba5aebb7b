/**
 * A queue's address: `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (TLS). The password
 * goes to the connection only: what mia prints, emits or records is `shown`, with the user-info masked.
 */
import type { RedisOptions } from 'ioredis';
import { redactUrl } from '../../lang/redact.js';

export interface QueueAddress {
  /** The connection's options (host, port, password, tls). */
  options: RedisOptions;
  /** The URL with any user-info masked: what may be printed or recorded. */
  shown: string;
  /** The password, when given, so that messages can be scrubbed of it. */
  secret: string | null;
}

/** A URL that is not a Redis address: the message says what to give. */
export class QueueAddressError extends Error {}

export function parseQueueUrl(url: string): QueueAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueAddressError(
      `--queue ${redactUrl(url)} is not a URL: give redis://HOST:PORT (or rediss:// for TLS, redis://:PASSWORD@HOST:PORT).`,
    );
  }
  const tls = u.protocol === 'rediss:';
  if (!tls && u.protocol !== 'redis:')
    throw new QueueAddressError(
      `--queue ${redactUrl(url)} is not a Redis URL (${u.protocol.replace(/:$/, '')}): give redis://HOST:PORT or rediss://HOST:PORT.`,
    );
  if (u.hostname === '')
    throw new QueueAddressError(`--queue ${redactUrl(url)} names no host: give redis://HOST:PORT.`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,5}$/.test(db))
    throw new QueueAddressError(
      `--queue ${redactUrl(url)}: the path must be a database number (/0, /1, …) or nothing.`,
    );
  const password = u.password === '' ? null : decodeURIComponent(u.password);
  const username = u.username === '' ? undefined : decodeURIComponent(u.username);
  const options: RedisOptions = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    ...(password !== null ? { password } : {}),
    ...(username !== undefined ? { username } : {}),
    ...(db !== '' ? { db: Number(db) } : {}),
    ...(tls ? { tls: { servername: u.hostname } } : {}),
  };
  return { options, shown: redactUrl(url), secret: password };
}

/** `text` with the password (and its URL-encoded form) replaced by `***`: for any message that may quote it. */
export function scrub(text: string, secret: string | null): string {
  if (!secret) return text;
  let t = text;
  for (const s of new Set([secret, encodeURIComponent(secret)])) t = t.split(s).join('***');
  return t;
}

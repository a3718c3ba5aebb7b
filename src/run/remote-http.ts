/**
 * One POST to a remote API, bounded: redirects are not followed (the caller refuses them), the answer is
 * read as a stream and cut past `bytes` (gzip and other encodings count as decoded), and the whole exchange,
 * answer included, past `ms`. A failure another attempt may cure (no connection, a connection cut mid-answer,
 * the time limit) is a Retryable with its reason; an answer over the size limit is not retried.
 */

/** A failure worth another attempt; its message says why, for the final error. */
export class Retryable extends Error {}

export interface Exchange {
  status: number;
  statusText: string;
  /** The Location header of a redirect (null when absent). */
  location: string | null;
  /** The Retry-After header (seconds or an HTTP date; null when absent). */
  retryAfter: string | null;
  /** The answer's text: whole for a 2xx answer, its first ERROR_BODY_BYTES for any other. */
  text: string;
  /** Set when a 2xx answer went past the size limit: how many bytes had come when mia stopped reading. */
  over?: number;
}

/** What mia reads of an answer that is not 2xx: enough for the message, which quotes its start. */
const ERROR_BODY_BYTES = 16 * 1024;

export async function exchange(
  url: string,
  body: string,
  headers: Record<string, string>,
  limits: { bytes: number; ms: number },
): Promise<Exchange> {
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
  }, limits.ms);
  const late = () => `no complete answer within ${limits.ms / 1000} s`;
  try {
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: ctl.signal });
    } catch (e) {
      throw new Retryable(timedOut ? late() : networkReason(e));
    }
    const head = {
      status: res.status,
      statusText: res.statusText,
      location: res.headers.get('location'),
      retryAfter: res.headers.get('retry-after'),
    };
    if (res.status >= 300 && res.status < 400) {
      ctl.abort(); // nothing of a redirect's body is read
      return { ...head, text: '' };
    }
    const ok = res.status >= 200 && res.status < 300;
    const read = await readBounded(res, ok ? limits.bytes : ERROR_BODY_BYTES, ctl, (got, e) =>
      timedOut
        ? `${late()}, ${got} bytes of it had come`
        : `the connection broke after ${got} bytes of the answer: ${networkReason(e)}`,
    );
    return { ...head, text: read.text, ...(ok && read.over ? { over: read.over } : {}) };
  } finally {
    clearTimeout(timer);
  }
}

/** The body's first `limit` bytes as text; past them reading stops (`over`: the bytes come by then). */
async function readBounded(
  res: Response,
  limit: number,
  ctl: AbortController,
  broke: (got: number, e: unknown) => string,
): Promise<{ text: string; over?: number }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (!reader) return { text: '' };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        chunks.push(value.subarray(0, value.byteLength - (size - limit)));
        ctl.abort();
        return { text: decode(chunks), over: size };
      }
      chunks.push(value);
    }
  } catch (e) {
    throw new Retryable(broke(size, e));
  }
  return { text: decode(chunks) };
}

const decode = (chunks: Uint8Array[]): string => new TextDecoder().decode(Buffer.concat(chunks));

/** A network failure's reason: the system's code (ECONNREFUSED, ECONNRESET, ...) or the HTTP layer's words. */
function networkReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code && !cause.code.startsWith('UND_ERR') ? cause.code : undefined;
  return code ?? cause?.message ?? (e as Error).message;
}

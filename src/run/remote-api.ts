/**
 * A remote target: a prediction API over HTTP, queried in the row format of TensorFlow Serving's REST API.
 * mia POSTs `{"instances": [record, ...]}` (each record nested in the dataset's shape, as mia reads it) and
 * expects `{"predictions": [answer, ...]}`, one answer per instance, of the declared output (read and checked
 * in remote-answers.ts). Answers become rows of released log-probabilities (logits as given), so attacks read
 * them as a local target's release. Several requests are in flight at once (a semaphore), paced by a token
 * bucket, retried as remote-retry.ts says; answers are placed by index, so they do not depend on arrival.
 *
 * A hostile API gets nowhere: redirects are refused (the records would go to another address), an answer is
 * cut past what its batch can need (answerBytes) and past the time limit, headers' values come from the
 * environment at query time only, and every message names the url with its secrets masked.
 */
import { featureCount } from '../data/index.js';
import { headerValueProblem } from '../plan/remote.js';
import type { RemoteApi } from '../plan/index.js';
import { answerRow } from './remote-answers.js';
import { RemoteApiError, shown, urlShown } from './remote-errors.js';
import { exchange, Retryable } from './remote-http.js';
import { backoffMs, MAX_RETRY_AFTER_S, MAX_THROTTLES, REMOTE_ATTEMPTS, retryAfterMs } from './remote-retry.js';
import { Semaphore, sleep, TokenBucket } from '../util/pace.js';

export type { RemoteApi, RemoteOutput } from '../plan/index.js';
export { RemoteApiError } from './remote-errors.js';

/** Records per request. */
export const REMOTE_BATCH = 100;
/** A request that takes longer, its answer read in full, fails (and is retried); a target's `timeout` replaces it. */
export const REMOTE_TIMEOUT_MS = 60_000;
/** Requests in flight at once to one API; a target's `concurrency` replaces it. */
export const REMOTE_CONCURRENCY = 4;
export { REMOTE_ATTEMPTS } from './remote-retry.js';

/** Bytes an answer may take per number it holds: a 25-digit float with its comma, indentation and line break, five times over. */
export const BYTES_PER_NUMBER = 128;
/** Bytes an answer may take per record beyond its numbers (brackets, `"classes"`/`"scores"` keys, indentation). */
export const BYTES_PER_RECORD = 1024;
/** Bytes an answer may take beyond its records (the `"predictions"` envelope, fields an API adds). */
export const ANSWER_SLACK = 64 * 1024;

/** The most bytes mia reads of an answer to `records` records of `classes` classes: far more than it can need. */
export const answerBytes = (records: number, classes: number): number =>
  ANSWER_SLACK + records * (BYTES_PER_RECORD + classes * BYTES_PER_NUMBER);

/**
 * The answers to `n` records (features row-major, `shape` per record), as n rows of C values: logits as the
 * API gave them, or (logProbs) released log-probabilities. `recordOf(i)` names the i-th in messages ("record 17").
 */
export async function queryRemote(
  api: RemoteApi,
  x: Float32Array,
  n: number,
  shape: number[],
  classes: number,
  onBatch: (done: number, total: number) => void = () => {},
  recordOf: (i: number) => string = (i) => `instance ${i}`,
): Promise<{ values: Float64Array; logProbs: boolean }> {
  const f = featureCount({ shape });
  const out = new Float64Array(n * classes);
  const headers = requestHeaders(api);
  const pace = { gate: new Semaphore(api.pace?.concurrency ?? REMOTE_CONCURRENCY), bucket: bucketOf(api) };
  let done = 0;
  const failed = { start: Number.POSITIVE_INFINITY, error: null as unknown }; // the first batch that failed
  const one = async (start: number): Promise<void> => {
    if (failed.error !== null) return; // a batch failed: ask nothing more
    const end = Math.min(n, start + REMOTE_BATCH);
    const instances = [];
    for (let i = start; i < end; i++) instances.push(nest(x.subarray(i * f, (i + 1) * f), shape));
    const batch: Batch = { first: start, count: end - start, classes, headers };
    try {
      const predictions = await post(api, instances, batch, pace.bucket);
      // placed by index, not by arrival: the answers do not depend on which request came back first
      predictions.forEach((p, j) => {
        out.set(answerRow(api, p, classes, recordOf(start + j)), (start + j) * classes);
      });
    } catch (error) {
      if (start < failed.start) Object.assign(failed, { start, error });
      return;
    }
    done += end - start;
    onBatch(done, n);
  };
  const starts = Array.from({ length: Math.ceil(n / REMOTE_BATCH) }, (_, i) => i * REMOTE_BATCH);
  await Promise.all(starts.map((start) => pace.gate.run(() => one(start))));
  if (failed.error !== null) throw failed.error;
  return { values: out, logProbs: api.output !== 'logits' };
}

const bucketOf = (api: RemoteApi): TokenBucket | null =>
  api.pace?.rate
    ? new TokenBucket(api.pace.rate, Math.max(1, Math.min(api.pace.rate, api.pace.concurrency ?? REMOTE_CONCURRENCY)))
    : null;

/** One record's features nested in its shape ([784] stays flat; [28, 28, 1] becomes rows of pixels of channels). */
function nest(v: Float32Array, shape: readonly number[]): unknown {
  if (shape.length <= 1) return Array.from(v);
  const [, ...rest] = shape;
  const step = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0]! }, (_, i) => nest(v.subarray(i * step, (i + 1) * step), rest));
}

/** The request's headers: mia's, then the target's, each value read from its environment variable now. */
function requestHeaders(api: RemoteApi): Record<string, string> {
  const out: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  for (const [name, variable] of Object.entries(api.headers ?? {})) {
    const value = process.env[variable];
    const problem = headerValueProblem(value);
    if (problem)
      throw new RemoteApiError(
        `The header "${name}" for the API at ${urlShown(api.url)} takes its value from the environment variable ${variable}, which ${problem}.`,
      );
    out[name] = value!;
  }
  return out;
}

interface Batch {
  /** The index of its first instance, and how many. */
  first: number;
  count: number;
  classes: number;
  headers: Record<string, string>;
}

const span = (b: Batch): string => `instances ${b.first}–${b.first + b.count - 1}`;

/** What one attempt came to: the predictions, or why and how long to wait before the next. */
type Attempt = { ok: unknown[] } | { retry: string; waitMs?: number; throttled?: boolean };

async function post(api: RemoteApi, instances: unknown[], b: Batch, bucket: TokenBucket | null): Promise<unknown[]> {
  const body = JSON.stringify({ instances });
  const at = urlShown(api.url);
  let last = '';
  let throttles = 0;
  for (let attempt = 1; attempt <= REMOTE_ATTEMPTS; ) {
    await bucket?.acquire();
    const a = await attemptOnce(api, body, b);
    if ('ok' in a) return a.ok;
    last = a.retry;
    if (a.throttled && ++throttles > MAX_THROTTLES)
      throw new RemoteApiError(
        `The API at ${at} throttled ${span(b)} ${MAX_THROTTLES} times (${shown(last)}): lower the target's rate or concurrency, or try later.`,
      );
    if (!a.throttled) attempt++;
    if (attempt > REMOTE_ATTEMPTS) break;
    await sleep(a.waitMs ?? backoffMs(attempt));
  }
  throw new RemoteApiError(
    `The API at ${at} could not be queried (${shown(last)}) after ${REMOTE_ATTEMPTS} attempts. Check the url and that the service is up.`,
  );
}

/** One POST of a batch: its predictions, a failure to retry (with the API's Retry-After), or a RemoteApiError. */
async function attemptOnce(api: RemoteApi, body: string, b: Batch): Promise<Attempt> {
  const at = urlShown(api.url);
  const limits = { bytes: answerBytes(b.count, b.classes), ms: (api.timeout ?? REMOTE_TIMEOUT_MS / 1000) * 1000 };
  let res: Awaited<ReturnType<typeof exchange>>;
  try {
    res = await exchange(api.url, body, b.headers, limits);
  } catch (e) {
    if (!(e instanceof Retryable)) throw e;
    return { retry: e.message };
  }
  const status = `HTTP ${res.status}${res.statusText ? ` ${shown(res.statusText, 60)}` : ''}`;
  if (res.status === 429 || res.status >= 500) {
    const wait = retryAfterMs(res.retryAfter);
    if (wait !== null && wait > MAX_RETRY_AFTER_S * 1000)
      throw new RemoteApiError(
        `The API at ${at} answered ${status} to ${span(b)} and asks mia to wait ${Math.ceil(wait / 1000)} s (Retry-After), ` +
          `longer than the ${MAX_RETRY_AFTER_S} s mia waits. Try later, or lower the target's rate.`,
      );
    const throttled = wait !== null && (res.status === 429 || res.status === 503);
    return { retry: status, ...(wait !== null ? { waitMs: wait } : {}), throttled };
  }
  if (res.status >= 300 && res.status < 400) throw redirected(api, status, res.location, b);
  if (res.status < 200 || res.status >= 300)
    throw new RemoteApiError(`The API at ${at} answered ${status} to ${span(b)}: ${shown(res.text)}`);
  if (res.over !== undefined)
    throw new RemoteApiError(
      `The API at ${at} sent more than ${limits.bytes} bytes in answer to ${span(b)}, more than ${b.count} answers of ` +
        `${b.classes} classes can take: mia stopped reading there. Check the url and the output setting; the answer began: ${shown(res.text)}`,
    );
  return { ok: predictionsOf(at, res.text, b) };
}

/** A redirect, refused: following it would send the records to an address the spec does not name. */
function redirected(api: RemoteApi, status: string, location: string | null, b: Batch): RemoteApiError {
  let to = 'no Location';
  if (location !== null) {
    let resolved = location;
    try {
      resolved = new URL(location, api.url).href;
    } catch {}
    to = urlShown(resolved);
  }
  return new RemoteApiError(
    `The API at ${urlShown(api.url)} answered ${status}, a redirect to ${to}, to ${span(b)}: mia follows no redirect, ` +
      'so that records go only to the url the spec names. If the API has moved, write its new url in the spec.',
  );
}

function predictionsOf(at: string, text: string, b: Batch): unknown[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const nonJson = /\b(NaN|-?Infinity)\b/.exec(text);
    throw new RemoteApiError(
      nonJson
        ? `The API at ${at} answered ${nonJson[1]} in its answer to ${span(b)}, which is no JSON number: the model gives non-finite outputs for these records.`
        : `The API at ${at} did not answer JSON to ${span(b)}: ${shown(text)}`,
    );
  }
  const p = typeof json === 'object' && json !== null && 'predictions' in json ? json.predictions : undefined;
  if (!Array.isArray(p))
    throw new RemoteApiError(
      `The API at ${at} answered without a "predictions" list (expected {"predictions": [...]}, as TensorFlow Serving does): ${shown(text)}`,
    );
  if (p.length !== b.count)
    throw new RemoteApiError(`The API at ${at} gave ${p.length} predictions for ${b.count} instances (${span(b)}).`);
  return p;
}

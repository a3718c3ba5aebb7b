/**
 * A remote target: a prediction API over HTTP, queried in the row format of TensorFlow Serving's REST API.
 * mia POSTs `{"instances": [record, ...]}` (each record nested in the dataset's shape, as mia reads it) and
 * expects `{"predictions": [answer, ...]}`, one answer per instance, of the declared output:
 *   probabilities: C numbers in [0, 1];   logits: C finite numbers;   labels: a class index (or [index]);
 *   top_k(K): `{"classes": [K indices], "scores": [K probabilities]}`, or C numbers of which at most K are non-zero.
 * Answers become rows of log-probabilities (logits as given), so attacks read them as a local target's.
 */
import { featureCount } from '../data/index.js';
import type { RemoteApi } from '../plan/remote.js';

/** Records per request. */
export const REMOTE_BATCH = 100;
/** A request that takes longer fails (and is retried). */
export const REMOTE_TIMEOUT_MS = 60_000;
/** Attempts per request: network errors, 429 and 5xx answers are retried after 1 s, then 2 s. */
export const REMOTE_ATTEMPTS = 3;

/** An API that cannot be reached or answers what mia cannot read: the user's to fix, said with the URL. */
export class RemoteApiError extends Error {}

/** The answers to `rows` (features row-major, `shape` per record), as `rows.length / featureCount` rows of C logits. */
export async function queryRemote(
  api: RemoteApi,
  x: Float32Array,
  n: number,
  shape: number[],
  classes: number,
  onBatch: (done: number, total: number) => void = () => {},
): Promise<Float32Array> {
  const f = featureCount({ shape });
  const out = new Float32Array(n * classes);
  for (let start = 0; start < n; start += REMOTE_BATCH) {
    const end = Math.min(n, start + REMOTE_BATCH);
    const instances = [];
    for (let i = start; i < end; i++) instances.push(nest(x.subarray(i * f, (i + 1) * f), shape));
    const predictions = await post(api.url, instances, start);
    predictions.forEach((p, j) => {
      out.set(answerRow(api, p, classes, start + j), (start + j) * classes);
    });
    onBatch(end, n);
  }
  return out;
}

/** One record's features nested in its shape ([784] stays flat; [28, 28, 1] becomes rows of pixels of channels). */
function nest(v: Float32Array, shape: readonly number[]): unknown {
  if (shape.length <= 1) return Array.from(v);
  const [, ...rest] = shape;
  const step = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0]! }, (_, i) => nest(v.subarray(i * step, (i + 1) * step), rest));
}

async function post(url: string, instances: unknown[], first: number): Promise<unknown[]> {
  const body = JSON.stringify({ instances });
  let last = '';
  for (let attempt = 1; attempt <= REMOTE_ATTEMPTS; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, 1000 * (attempt - 1)));
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(REMOTE_TIMEOUT_MS),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      last = cause?.code ?? cause?.message ?? (e as Error).message;
      continue;
    }
    if (res.status === 429 || res.status >= 500) {
      last = `HTTP ${res.status} ${res.statusText}`;
      continue;
    }
    const text = await res.text();
    if (!res.ok)
      throw new RemoteApiError(
        `The API at ${url} answered HTTP ${res.status} ${res.statusText} to records ${first}–${first + instances.length - 1}: ${clip(text)}`,
      );
    return predictionsOf(url, text, instances.length, first);
  }
  throw new RemoteApiError(
    `The API at ${url} could not be queried (${last}) after ${REMOTE_ATTEMPTS} attempts. Check the url and that the service is up.`,
  );
}

function predictionsOf(url: string, text: string, expected: number, first: number): unknown[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RemoteApiError(`The API at ${url} did not answer JSON: ${clip(text)}`);
  }
  const p = typeof json === 'object' && json !== null && 'predictions' in json ? json.predictions : undefined;
  if (!Array.isArray(p))
    throw new RemoteApiError(
      `The API at ${url} answered without a "predictions" list (expected {"predictions": [...]}, as TensorFlow Serving does): ${clip(text)}`,
    );
  if (p.length !== expected)
    throw new RemoteApiError(
      `The API at ${url} gave ${p.length} predictions for ${expected} instances (records ${first}–${first + expected - 1}).`,
    );
  return p;
}

const FLOOR = Math.log(1e-30);

/** One answer as a row of logits (log-probabilities for probabilities, labels and top-k answers). */
function answerRow(api: RemoteApi, p: unknown, classes: number, i: number): Float32Array {
  const bad = (what: string): RemoteApiError =>
    new RemoteApiError(`The API at ${api.url} answered for query ${i} ${what}; got ${clip(JSON.stringify(p))}.`);
  const row = new Float32Array(classes);
  const vector = (): number[] => {
    if (!Array.isArray(p) || p.length !== classes || !p.every((v) => typeof v === 'number' && Number.isFinite(v)))
      throw bad(`not ${classes} finite numbers (one per class)`);
    return p as number[];
  };
  const logOf = (probs: ArrayLike<number>): Float32Array => {
    for (let c = 0; c < classes; c++) row[c] = probs[c]! > 0 ? Math.log(probs[c]!) : FLOOR;
    return row;
  };
  const checkProbs = (v: ArrayLike<number>): void => {
    for (let c = 0; c < classes; c++) if (v[c]! < 0 || v[c]! > 1 + 1e-6) throw bad('probabilities outside [0, 1]');
  };
  switch (api.output) {
    case 'logits':
      row.set(vector());
      return row;
    case 'probabilities': {
      const v = vector();
      checkProbs(v);
      return logOf(v);
    }
    case 'labels': {
      const label = Array.isArray(p) && p.length === 1 ? p[0] : p;
      if (!Number.isInteger(label) || (label as number) < 0 || (label as number) >= classes)
        throw bad(`no class index in 0–${classes - 1}`);
      const probs = new Float64Array(classes);
      probs[label as number] = 1;
      return logOf(probs);
    }
    case 'top_k': {
      const k = api.k ?? classes;
      const probs = new Float64Array(classes);
      if (Array.isArray(p)) {
        probs.set(vector());
        if (probs.filter((v) => v !== 0).length > k) throw bad(`more than ${k} non-zero probabilities`);
      } else {
        const o = (typeof p === 'object' && p !== null ? p : {}) as { classes?: unknown; scores?: unknown };
        const cs = o.classes;
        const ss = o.scores;
        if (!Array.isArray(cs) || !Array.isArray(ss) || cs.length !== ss.length || cs.length > k)
          throw bad(`no {"classes": [...], "scores": [...]} of at most ${k} entries`);
        cs.forEach((c, j) => {
          const s = ss[j];
          if (!Number.isInteger(c) || c < 0 || c >= classes || typeof s !== 'number' || !Number.isFinite(s))
            throw bad(`a class outside 0–${classes - 1} or a score that is not a number`);
          probs[c as number] = s;
        });
      }
      checkProbs(probs);
      return logOf(probs);
    }
  }
}

const clip = (s: string): string => (s.length > 200 ? `${s.slice(0, 200)}…` : s);

/**
 * One prediction request in TensorFlow Serving's REST row format, what `remote` targets send: the body
 * `{"instances": [record, ...]}`, each record nested in the model's input shape (or flat, as many numbers),
 * answered `{"predictions": [answer, ...]}`. An answer is what the output defenses release: C probabilities
 * (top_k: the rest 0, rounding: rounded, ...), or the class index once the release is labels only; or the
 * model's logits with `--output logits` (no defense). Anything else is a RequestError with a 4xx status.
 */
import { probabilities } from '../../attacks/signals.js';
import { releasedRows } from '../../defenses/index.js';
import { type Release, releaseForm } from '../../kinds/output-release.js';
import { deriveSeed } from '../../util/rng.js';
import type { ServedModel } from './served.js';

/** A request mia serve refuses: its HTTP status and a message for the client. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type ServedOutput = 'probabilities' | 'logits';

export interface Predictor {
  model: ServedModel;
  release: Release;
  output: ServedOutput;
  maxBatch: number;
  /** Seeds the release's noise, per request (`request` counts them). */
  seed: number;
}

const bad = (message: string): RequestError => new RequestError(400, message);

/** The instances of a request body, checked: a list of 1 to maxBatch records of the model's shape. */
export function readInstances(body: unknown, p: Predictor): { x: Float32Array; n: number } {
  const instances =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as { instances?: unknown }).instances
      : undefined;
  if (!Array.isArray(instances))
    throw bad('The request must be a JSON object {"instances": [record, ...]} (TensorFlow Serving\'s row format).');
  if (instances.length === 0) throw bad('"instances" is empty: send at least one record.');
  if (instances.length > p.maxBatch)
    throw new RequestError(
      413,
      `"instances" holds ${instances.length} records; this server takes at most ${p.maxBatch} a request.`,
    );
  const shape = p.model.shape;
  const f = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(instances.length * f);
  instances.forEach((v, i) => {
    const at = { x, offset: i * f, written: 0 };
    const flat = Array.isArray(v) && v.length === f && shape.length > 1 && v.every((e) => typeof e === 'number');
    if (!(flat ? fill(v, [f], at) : fill(v, shape, at)))
      throw bad(
        `Instance ${i} is not a record of shape [${shape.join(', ')}] (or ${f} numbers): every value must be a finite number, nested as the shape says.`,
      );
  });
  return { x, n: instances.length };
}

/** Writes `v`, nested as `shape`, into `at`; false when it is not (no deeper than the shape is read). */
function fill(v: unknown, shape: readonly number[], at: { x: Float32Array; offset: number; written: number }): boolean {
  if (shape.length === 0) {
    if (typeof v !== 'number' || !Number.isFinite(v) || !Number.isFinite(Math.fround(v))) return false;
    at.x[at.offset + at.written++] = v;
    return true;
  }
  if (!Array.isArray(v) || v.length !== shape[0]) return false;
  const rest = shape.slice(1);
  for (const e of v) if (!fill(e, rest, at)) return false;
  return true;
}

/** The answers to `n` records: what the release lets out (see the file's header). */
export function predict(p: Predictor, x: Float32Array, n: number, request: number): unknown[] {
  const c = p.model.classes;
  const logits = p.model.logits(x, n);
  const bad = logits.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new RequestError(
      500,
      `The model outputs ${logits[bad]} for instance ${Math.floor(bad / c)}; it answers only finite numbers. Check its weights.`,
    );
  if (p.output === 'logits') return rows(logits, n, c);
  const s = { logits, classes: c };
  if (p.release.kind === 'probabilities') return Array.from({ length: n }, (_, r) => Array.from(probabilities(s, r)));
  const released = releasedRows(s, p.release, deriveSeed(p.seed, `request/${request}`));
  if (releaseForm(p.release) !== 'labels') return rows(released, n, c);
  return Array.from({ length: n }, (_, r) => argmax(released.subarray(r * c, (r + 1) * c)));
}

const rows = (v: Float32Array | Float64Array, n: number, c: number): number[][] =>
  Array.from({ length: n }, (_, r) => Array.from(v.subarray(r * c, (r + 1) * c)));

function argmax(row: Float64Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

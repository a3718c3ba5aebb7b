/**
 * A remote API's answers read as rows of logits, each checked against what its declared output promises:
 *   probabilities: C numbers in [0, 1] summing to 1 (within SUM_TOLERANCE, or half a unit of the last decimal
 *     per class when the values have 1 to 3 decimals: a rounded release);
 *   logits: C finite numbers (within float32's range);   labels: a class index (or [index]);
 *   scores: C finite numbers, unnormalised: only the highest class is read (as a label);
 *   top_k(K): `{"classes": [K indices], "scores": [K probabilities]}`, or C numbers of which at most K are not 0;
 *     the K probabilities are in [0, 1], name distinct classes and sum to at most 1 and at least K / C (the K
 *     highest of C probabilities that sum to 1 cannot sum to less).
 * Probabilities become log-probabilities in float64 (0 becomes −Infinity), labels and scores a one-hot row of
 * them: released rows as a local target's release gives them (defenses/release.ts), read as released, never
 * renormalised, so an API serving a defense is attacked exactly as the same defense on the local model.
 */
import type { RemoteApi } from '../plan/index.js';
import { RemoteApiError, shown, urlShown } from './remote-errors.js';

/** How far a row of probabilities may sum from 1 (absolute): float32 rounding stays far below it. */
export const SUM_TOLERANCE = 1e-3;

/** The largest number of decimals under which a row is taken for rounded (and its sum allowed to drift by rounding). */
const ROUNDED_DECIMALS = 3;

/** Decimals of `v` as JSON wrote it (trailing zeros aside) (20 for a number in exponent form). */
function decimals(v: number): number {
  const s = String(v);
  if (s.includes('e')) return 20;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** How far `row`'s sum may be from what it should be: SUM_TOLERANCE, or the rounding of its values if more. */
function tolerance(row: ArrayLike<number>, n: number): number {
  let d = 0;
  for (let c = 0; c < row.length; c++) if (row[c] !== 0) d = Math.max(d, decimals(row[c]!));
  return d >= 1 && d <= ROUNDED_DECIMALS ? Math.max(SUM_TOLERANCE, (n * 0.5) / 10 ** d) : SUM_TOLERANCE;
}

/** One answer as a row of C logits; `record` names it in a message ("record 17"). */
export function answerRow(api: RemoteApi, p: unknown, classes: number, record: string): Float64Array {
  const bad = (what: string, hint = ''): RemoteApiError =>
    new RemoteApiError(
      `The API at ${urlShown(api.url)} answered for ${record} ${what}; got ${shown(preview(p))}.${hint}`,
    );
  const row = new Float64Array(classes);
  const vector = (): number[] => {
    if (!Array.isArray(p) || p.length !== classes || !p.every((v) => typeof v === 'number' && Number.isFinite(v)))
      throw bad(`not ${classes} finite numbers (one per class)`);
    if (!p.every((v) => Number.isFinite(Math.fround(v as number))))
      throw bad('a number beyond single precision (about 3.4e38)');
    return p as number[];
  };
  const oneHot = (label: number): Float64Array => row.fill(Number.NEGATIVE_INFINITY).fill(0, label, label + 1);
  switch (api.output) {
    case 'logits':
      row.set(vector());
      return row;
    case 'probabilities':
      return logOf(row, checkProbabilities(vector(), classes, classes, bad));
    case 'scores': {
      const v = vector();
      return oneHot(v.indexOf(Math.max(...v)));
    }
    case 'labels': {
      const label = Array.isArray(p) && p.length === 1 ? p[0] : p;
      if (!Number.isInteger(label) || (label as number) < 0 || (label as number) >= classes)
        throw bad(`no class index in 0–${classes - 1}`);
      return oneHot(label as number);
    }
    case 'top_k': {
      const probs = topK(p, api.k ?? classes, classes, vector, bad);
      return logOf(row, probs);
    }
  }
}

/** An answer as JSON for a message: 20 items per list, 10 keys per object, 8 levels deep (JSON.stringify overflows the stack on deep nesting). */
function preview(v: unknown, depth = 0): string {
  if (Array.isArray(v)) {
    if (depth >= 8) return '[…]';
    const items = v.slice(0, 20).map((x) => preview(x, depth + 1));
    return `[${items.join(',')}${v.length > 20 ? ',…' : ''}]`;
  }
  if (v !== null && typeof v === 'object') {
    if (depth >= 8) return '{…}';
    const entries = Object.entries(v).slice(0, 10);
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${preview(x, depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? String(v);
}

function logOf(row: Float64Array, probs: ArrayLike<number>): Float64Array {
  for (let c = 0; c < row.length; c++) row[c] = Math.log(probs[c]!);
  return row;
}

/**
 * `v` as probabilities: each in [0, 1]; the `given` entries of a row of C sum to 1 (all C given) or, as the
 * highest `given` of C, to between given / C and 1.
 */
function checkProbabilities(
  v: ArrayLike<number>,
  given: number,
  classes: number,
  bad: (what: string, hint?: string) => RemoteApiError,
): ArrayLike<number> {
  let sum = 0;
  for (let c = 0; c < v.length; c++) {
    if (!(v[c]! >= 0 && v[c]! <= 1 + 1e-6)) throw bad('a probability outside [0, 1]');
    sum += v[c]!;
  }
  const tol = tolerance(v, given);
  const low = given === classes ? 1 : given / classes;
  if (sum < low - tol || sum > 1 + tol) {
    const should =
      given === classes ? 'sum to 1' : `sum to between ${round(low)} and 1, as the ${given} highest of ${classes}`;
    throw bad(
      `probabilities that sum to ${round(sum)}, where they should ${should} (within ${round(tol)})`,
      ' If the API answers unnormalised scores, declare output: scores (label-only attacks then run); if logits, output: logits.',
    );
  }
  return v;
}

const round = (x: number): string => String(Number(x.toPrecision(4)));

/** A top-k answer as C probabilities (the classes not given: 0). */
function topK(
  p: unknown,
  k: number,
  classes: number,
  vector: () => number[],
  bad: (what: string, hint?: string) => RemoteApiError,
): Float64Array {
  const probs = new Float64Array(classes);
  if (Array.isArray(p)) {
    probs.set(vector());
    const given = probs.filter((v) => v !== 0).length;
    if (given > k) throw bad(`more than ${k} non-zero probabilities`);
    checkProbabilities(probs, Math.max(1, given), classes, bad);
    return probs;
  }
  const o = (typeof p === 'object' && p !== null ? p : {}) as { classes?: unknown; scores?: unknown };
  const cs = o.classes;
  const ss = o.scores;
  if (!Array.isArray(cs) || !Array.isArray(ss) || cs.length !== ss.length || cs.length === 0 || cs.length > k)
    throw bad(`no {"classes": [...], "scores": [...]} of 1 to ${k} entries`);
  const seen = new Set<number>();
  cs.forEach((c, j) => {
    const s = ss[j];
    if (!Number.isInteger(c) || c < 0 || c >= classes || typeof s !== 'number' || !Number.isFinite(s))
      throw bad(`a class outside 0–${classes - 1} or a score that is not a number`);
    if (seen.has(c)) throw bad(`class ${c} twice`);
    seen.add(c);
    probs[c as number] = s;
  });
  checkProbabilities(
    ss.map((s) => s as number),
    cs.length,
    classes,
    bad,
  );
  return probs;
}

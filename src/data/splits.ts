/**
 * Subsets of a dataset. `take(n)` claims the next n records of the dataset's seeded shuffle that no
 * earlier `take` claimed (in source order), so `members digits.take(1000)` and
 * `nonmembers digits.take(1000)` are disjoint; `rest` is every record no `take` claims, `taken` every
 * record the takes claim (e.g. a target's members and non-members, as a pool for online LiRA);
 * `sample(n)` draws n records at random from the whole dataset (it may overlap the takes);
 * `classes([..])` keeps only records of those classes.
 */
import { deriveSeed, makeRng, permutation } from '../util/rng.js';

export type SubsetOp =
  | { op: 'take'; n: number }
  | { op: 'rest' }
  | { op: 'taken' }
  | { op: 'sample'; n: number }
  | { op: 'classes'; classes: number[] };

export interface SubsetRequest {
  key: string;
  dataset: string;
  ops: SubsetOp[];
}

export class SplitError extends Error {}

/** What allocating a dataset's subsets needs of it: its size, and its labels for `.classes(...)`. */
export interface SplitFacts {
  n: number;
  labels?: Int32Array;
}

/** Allocates every request's records. Requests are served in the order given (source order). */
export function allocateSubsets(
  requests: readonly SubsetRequest[],
  facts: ReadonlyMap<string, SplitFacts | number>,
  seed: number,
): Map<string, number[]> {
  const order = new Map<string, number[]>();
  const next = new Map<string, number>();
  const out = new Map<string, number[]>();
  const factsOf = (ds: string): SplitFacts => {
    const f = facts.get(ds);
    if (f === undefined) throw new SplitError(`Unknown dataset "${ds}".`);
    return typeof f === 'number' ? { n: f } : f;
  };
  const perm = (ds: string): number[] => {
    let p = order.get(ds);
    if (!p) {
      p = permutation(factsOf(ds).n, makeRng(deriveSeed(seed, `split/${ds}`)));
      order.set(ds, p);
      next.set(ds, 0);
    }
    return p;
  };
  /** A class filter naming a class the data do not hold is an error with both numbers. */
  const present = (req: SubsetRequest, classes: number[], labels: ArrayLike<number>): void => {
    let k = 0;
    for (let i = 0; i < labels.length; i++) if (labels[i]! >= k) k = labels[i]! + 1;
    const absent = classes.filter((c) => !Number.isInteger(c) || c < 0 || c >= k);
    if (absent.length > 0)
      throw new SplitError(
        `Dataset "${req.dataset}" has ${k} classes (0 to ${k - 1}); classes([${classes.join(', ')}]) names ${absent.join(', ')}.`,
      );
  };
  const filter = (req: SubsetRequest, recs: number[]): number[] => {
    let cur = recs;
    for (const op of req.ops.slice(1)) {
      if (op.op !== 'classes') throw new SplitError(`"${op.op}" can only come first in a subset of "${req.dataset}".`);
      const labels = factsOf(req.dataset).labels;
      if (!labels) throw new SplitError(`The labels of "${req.dataset}" are needed to filter by class.`);
      present(req, op.classes, labels);
      const keep = new Set(op.classes);
      cur = cur.filter((r) => keep.has(labels[r]!));
    }
    if (req.ops[0]?.op === 'classes') {
      const labels = factsOf(req.dataset).labels;
      if (!labels) throw new SplitError(`The labels of "${req.dataset}" are needed to filter by class.`);
      present(req, req.ops[0].classes, labels);
      const keep = new Set(req.ops[0].classes);
      cur = cur.filter((r) => keep.has(labels[r]!));
    }
    return cur;
  };
  for (const req of requests) {
    const p = perm(req.dataset);
    const op = req.ops[0];
    if (op?.op === 'take') {
      const from = next.get(req.dataset)!;
      if (from + op.n > p.length) {
        throw new SplitError(
          `Dataset "${req.dataset}" has ${p.length} records, but its takes ask for ${from + op.n} (this one asks for ${op.n} after ${from} already taken).`,
        );
      }
      out.set(req.key, filter(req, p.slice(from, from + op.n)));
      next.set(req.dataset, from + op.n);
    } else if (op?.op === 'sample') {
      if (op.n > p.length)
        throw new SplitError(`Dataset "${req.dataset}" has ${p.length} records; sample(${op.n}) asks for more.`);
      out.set(
        req.key,
        filter(req, permutation(p.length, makeRng(deriveSeed(seed, `sample/${req.key}`))).slice(0, op.n)),
      );
    }
  }
  for (const req of requests) {
    const p = perm(req.dataset);
    const op = req.ops[0];
    if (op === undefined || op.op === 'classes') out.set(req.key, filter(req, p.slice()));
    else if (op.op === 'rest') out.set(req.key, filter(req, p.slice(next.get(req.dataset)!)));
    else if (op.op === 'taken') out.set(req.key, filter(req, p.slice(0, next.get(req.dataset)!)));
  }
  return out;
}

export interface ShadowSplit {
  inIdx: number[];
  outIdx: number[];
}

/**
 * Training (in) and held-out (out) records for each of `count` shadow models drawn from `pool`.
 * overlapping: each model draws its own 2×size records at random (records recur across models);
 * disjoint: no pool record serves more than one model (needs count × 2 × size records);
 * half: each pool record is in the training set of exactly half the models (count must be even) and
 * held out from the others, as online LiRA and RMIA need; `size` is then pool/2.
 */
export function shadowSplits(
  pool: readonly number[],
  count: number,
  size: number,
  sampling: 'overlapping' | 'disjoint' | 'half',
  seed: number,
  name: string,
): ShadowSplit[] {
  if (sampling === 'half') return halfSplits(pool, count, seed, name);
  if (pool.length < 2 * size)
    throw new SplitError(
      `The pool of shadows "${name}" has ${pool.length} records; each shadow model needs ${2 * size} (size ${size} trained on, as many held out).`,
    );
  if (sampling === 'disjoint' && pool.length < count * 2 * size) {
    throw new SplitError(
      `The pool of shadows "${name}" has ${pool.length} records; ${count} disjoint shadow models of size ${size} need ${count * 2 * size} (count × size, twice for held-out records).`,
    );
  }
  const out: ShadowSplit[] = [];
  const shared =
    sampling === 'disjoint' ? permutation(pool.length, makeRng(deriveSeed(seed, `shadows/${name}`))) : null;
  for (let i = 0; i < count; i++) {
    let pick: number[];
    if (shared) pick = shared.slice(i * 2 * size, (i + 1) * 2 * size);
    else pick = permutation(pool.length, makeRng(deriveSeed(seed, `shadows/${name}/${i}`))).slice(0, 2 * size);
    const recs = pick.map((j) => pool[j]!);
    out.push({ inIdx: recs.slice(0, size), outIdx: recs.slice(size) });
  }
  return out;
}

function halfSplits(pool: readonly number[], count: number, seed: number, name: string): ShadowSplit[] {
  if (count < 2 || count % 2 !== 0)
    throw new SplitError(`Shadows "${name}" sampled half need an even count of at least 2, not ${count}.`);
  const ins: number[][] = Array.from({ length: count }, () => []);
  const outs: number[][] = Array.from({ length: count }, () => []);
  const rng = makeRng(deriveSeed(seed, `shadows/${name}/half`));
  for (const r of pool) {
    const models = permutation(count, rng);
    models.forEach((m, k) => (k < count / 2 ? ins : outs)[m]!.push(r));
  }
  return ins.map((inIdx, i) => ({ inIdx, outIdx: outs[i]! }));
}

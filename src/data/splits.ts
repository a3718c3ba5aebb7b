/**
 * Subsets of a dataset. `take(n)` claims the next n records of the dataset's seeded shuffle that no
 * earlier `take` claimed (in source order), so `members digits.take(1000)` and
 * `nonmembers digits.take(1000)` are disjoint; `rest` is every record no `take` claims, `taken` every
 * record the takes claim (e.g. a target's members and non-members, as a pool for online LiRA);
 * `sample(n)` draws n records at random from the whole dataset (it may overlap the takes);
 * `classes([..])` keeps only records of those classes; `members` and `nonmembers` are the records a
 * CSV's membership column marks so (`csv("r.csv") { membership: "member" }`), in file order.
 */
import { deriveSeed, makeRng, permutation } from '../util/rng.js';

export type SubsetOp =
  | { op: 'take'; n: number }
  | { op: 'rest' }
  | { op: 'taken' }
  | { op: 'sample'; n: number }
  | { op: 'members' }
  | { op: 'nonmembers' }
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
  /** Per record, 1 for a member and 0 for a non-member, where the dataset has a membership column. */
  membership?: Uint8Array;
}

/** Allocates every request's records. Requests are served in the order given (source order). */
export function allocateSubsets(
  requests: readonly SubsetRequest[],
  facts: ReadonlyMap<string, SplitFacts | number>,
  seed: number,
): Map<string, number[]> {
  const shuffles = new DatasetShuffles(facts, seed);
  const out = new Map<string, number[]>();
  // First the takes (each after the earlier ones) and samples, then what depends on every take: rest, taken, all.
  for (const req of requests) {
    const recs = takeOrSample(req, shuffles, seed);
    if (recs) out.set(req.key, classFilter(req, recs, shuffles.factsOf(req.dataset)));
  }
  for (const req of requests) {
    const recs = afterTakes(req, shuffles);
    if (recs) out.set(req.key, classFilter(req, recs, shuffles.factsOf(req.dataset)));
  }
  return out;
}

/** Each dataset's seeded shuffle, and how many of its records the takes so far have claimed. */
class DatasetShuffles {
  private readonly order = new Map<string, number[]>();
  readonly claimed = new Map<string, number>();

  constructor(
    private readonly facts: ReadonlyMap<string, SplitFacts | number>,
    private readonly seed: number,
  ) {}

  factsOf(ds: string): SplitFacts {
    const f = this.facts.get(ds);
    if (f === undefined) throw new SplitError(`Unknown dataset "${ds}".`);
    return typeof f === 'number' ? { n: f } : f;
  }

  perm(ds: string): number[] {
    let p = this.order.get(ds);
    if (!p) {
      p = permutation(this.factsOf(ds).n, makeRng(deriveSeed(this.seed, `split/${ds}`)));
      this.order.set(ds, p);
      this.claimed.set(ds, 0);
    }
    return p;
  }
}

/** A `take(n)` claims the next n records of the shuffle; a `sample(n)` draws n of them; other requests wait. */
function takeOrSample(req: SubsetRequest, shuffles: DatasetShuffles, seed: number): number[] | null {
  const p = shuffles.perm(req.dataset);
  const op = req.ops[0];
  if (op?.op === 'take') {
    const from = shuffles.claimed.get(req.dataset)!;
    if (from + op.n > p.length) {
      throw new SplitError(
        `Dataset "${req.dataset}" has ${p.length} records, but its takes ask for ${from + op.n} (this one asks for ${op.n} after ${from} already taken).`,
      );
    }
    shuffles.claimed.set(req.dataset, from + op.n);
    return p.slice(from, from + op.n);
  }
  if (op?.op === 'sample') {
    if (op.n > p.length)
      throw new SplitError(`Dataset "${req.dataset}" has ${p.length} records; sample(${op.n}) asks for more.`);
    return permutation(p.length, makeRng(deriveSeed(seed, `sample/${req.key}`))).slice(0, op.n);
  }
  return null;
}

/** Once every take has claimed its records: the whole dataset, the `rest` no take claimed, or the records `taken`. */
function afterTakes(req: SubsetRequest, shuffles: DatasetShuffles): number[] | null {
  const p = shuffles.perm(req.dataset);
  const op = req.ops[0];
  if (op === undefined || op.op === 'classes') return p.slice();
  if (op.op === 'rest') return p.slice(shuffles.claimed.get(req.dataset)!);
  if (op.op === 'taken') return p.slice(0, shuffles.claimed.get(req.dataset)!);
  if (op.op === 'members' || op.op === 'nonmembers') return marked(req.dataset, op.op, shuffles.factsOf(req.dataset));
  return null;
}

/** The records the dataset's membership column marks as members (or non-members), in file order. */
function marked(ds: string, op: 'members' | 'nonmembers', facts: SplitFacts): number[] {
  const m = facts.membership;
  if (!m)
    throw new SplitError(
      `Dataset "${ds}" has no membership column, so "${ds}.${op}" holds nothing; name it: csv(...) { membership: "column" }.`,
    );
  const want = op === 'members' ? 1 : 0;
  const out: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i] === want) out.push(i);
  return out;
}

/** The records of `recs` in the classes the request's `classes(...)` ops keep (the later ops first, then the first). */
function classFilter(req: SubsetRequest, recs: number[], facts: SplitFacts): number[] {
  let cur = recs;
  for (const op of req.ops.slice(1)) {
    if (op.op !== 'classes') throw new SplitError(`"${op.op}" can only come first in a subset of "${req.dataset}".`);
    cur = keepClasses(req, op.classes, cur, facts);
  }
  const first = req.ops[0];
  if (first?.op === 'classes') cur = keepClasses(req, first.classes, cur, facts);
  return cur;
}

function keepClasses(req: SubsetRequest, classes: number[], recs: number[], facts: SplitFacts): number[] {
  const labels = facts.labels;
  if (!labels) throw new SplitError(`The labels of "${req.dataset}" are needed to filter by class.`);
  present(req, classes, labels);
  const keep = new Set(classes);
  return recs.filter((r) => keep.has(labels[r]!));
}

/** A class filter naming a class the data do not hold is an error with both numbers. */
function present(req: SubsetRequest, classes: number[], labels: ArrayLike<number>): void {
  let k = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! >= k) k = labels[i]! + 1;
  const absent = classes.filter((c) => !Number.isInteger(c) || c < 0 || c >= k);
  if (absent.length > 0)
    throw new SplitError(
      `Dataset "${req.dataset}" has ${k} classes (0 to ${k - 1}); classes([${classes.join(', ')}]) names ${absent.join(', ')}.`,
    );
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

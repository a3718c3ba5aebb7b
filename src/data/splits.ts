/**
 * Subsets of a dataset. `take(n)` claims the next n records of the dataset's seeded shuffle that no
 * earlier `take` claimed (in source order), so `members digits.take(1000)` and
 * `nonmembers digits.take(1000)` are disjoint; `rest` is every record no `take` claims.
 */
import { deriveSeed, makeRng, permutation } from '../util/rng.js';

export type SubsetOp = { op: 'take'; n: number } | { op: 'rest' };

export interface SubsetRequest { key: string; dataset: string; ops: SubsetOp[] }

export class SplitError extends Error {}

/** Allocates every request's records. Requests are served in the order given (source order). */
export function allocateSubsets(requests: readonly SubsetRequest[], sizes: ReadonlyMap<string, number>, seed: number): Map<string, number[]> {
  const order = new Map<string, number[]>();
  const next = new Map<string, number>();
  const out = new Map<string, number[]>();
  const perm = (ds: string): number[] => {
    let p = order.get(ds);
    if (!p) {
      const n = sizes.get(ds);
      if (n === undefined) throw new SplitError(`Unknown dataset "${ds}".`);
      p = permutation(n, makeRng(deriveSeed(seed, `split/${ds}`)));
      order.set(ds, p);
      next.set(ds, 0);
    }
    return p;
  };
  for (const req of requests) {
    const p = perm(req.dataset);
    const op = req.ops[0];
    if (op?.op === 'take') {
      const from = next.get(req.dataset)!;
      if (from + op.n > p.length) {
        throw new SplitError(`Dataset "${req.dataset}" has ${p.length} records, but its takes ask for ${from + op.n} (this one asks for ${op.n} after ${from} already taken).`);
      }
      out.set(req.key, p.slice(from, from + op.n));
      next.set(req.dataset, from + op.n);
    }
  }
  for (const req of requests) {
    const p = perm(req.dataset);
    const op = req.ops[0];
    if (op === undefined) out.set(req.key, p.slice());
    else if (op.op === 'rest') out.set(req.key, p.slice(next.get(req.dataset)!));
  }
  return out;
}

export interface ShadowSplit { inIdx: number[]; outIdx: number[] }

/**
 * Training (in) and held-out (out) records for each of `count` shadow models drawn from `pool`.
 * overlapping: each model draws its own 2×size records at random (records recur across models);
 * disjoint: no pool record serves more than one model (needs count × 2 × size records).
 */
export function shadowSplits(pool: readonly number[], count: number, size: number, sampling: 'overlapping' | 'disjoint', seed: number, name: string): ShadowSplit[] {
  if (pool.length < 2 * size) throw new SplitError(`The pool of shadows "${name}" has ${pool.length} records; each shadow model needs ${2 * size} (size ${size} trained on, as many held out).`);
  if (sampling === 'disjoint' && pool.length < count * 2 * size) {
    throw new SplitError(`The pool of shadows "${name}" has ${pool.length} records; ${count} disjoint shadow models of size ${size} need ${count * 2 * size} (count × size, twice for held-out records).`);
  }
  const out: ShadowSplit[] = [];
  const shared = sampling === 'disjoint' ? permutation(pool.length, makeRng(deriveSeed(seed, `shadows/${name}`))) : null;
  for (let i = 0; i < count; i++) {
    let pick: number[];
    if (shared) pick = shared.slice(i * 2 * size, (i + 1) * 2 * size);
    else pick = permutation(pool.length, makeRng(deriveSeed(seed, `shadows/${name}/${i}`))).slice(0, 2 * size);
    const recs = pick.map((j) => pool[j]!);
    out.push({ inIdx: recs.slice(0, size), outIdx: recs.slice(size) });
  }
  return out;
}

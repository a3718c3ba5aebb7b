/**
 * Purchase-style synthetic data (after Shokri et al. 2017, whose Purchase data are binary vectors of
 * bought items, labelled by clustering them into k classes). The clustering is built in rather than
 * run: k prototype vectors are drawn (each bit set with probability `density`), and a record of class c
 * is prototype c with each bit flipped with probability `flip`. So the classes are the clusters a
 * k-means of the records would find (for flip well below 0.5), and a record's label is the prototype it
 * was drawn from. Classes are balanced (record i has class perm(i) mod k for a seeded permutation).
 * Seeded through src/util/rng.ts: the same settings and seed give the same bytes.
 */
import { deriveSeed, makeRng, permutation } from '../../util/rng.js';
import type { Parsed } from './parsed.js';

export interface SyntheticPurchaseOptions {
  records: number;
  features: number;
  classes: number;
  seed?: number;
  /** The share of set bits in a prototype; 0.2 by default. */
  density?: number;
  /** The probability that a record's bit differs from its prototype's; 0.1 by default. */
  flip?: number;
  name?: string;
}

export function syntheticPurchase(opts: SyntheticPurchaseOptions): Parsed {
  const { records: n, features: f, classes: k } = opts;
  const seed = opts.seed ?? 0;
  const density = opts.density ?? 0.2;
  const flip = opts.flip ?? 0.1;
  for (const [what, v, min] of [
    ['records', n, k],
    ['features', f, 1],
    ['classes', k, 2],
  ] as const)
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`synthetic_purchase needs ${what} ≥ ${min} (an integer); got ${v}.`);
  if (!(density > 0 && density < 1) || !(flip >= 0 && flip < 0.5))
    throw new RangeError('synthetic_purchase needs 0 < density < 1 and 0 ≤ flip < 0.5.');
  const protoRng = makeRng(deriveSeed(seed, 'purchase/prototypes'));
  const protos = new Uint8Array(k * f);
  for (let i = 0; i < protos.length; i++) protos[i] = protoRng.next() < density ? 1 : 0;
  const order = permutation(n, makeRng(deriveSeed(seed, 'purchase/labels')));
  const rng = makeRng(deriveSeed(seed, 'purchase/records'));
  const x = new Float32Array(n * f);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const c = order[r]! % k;
    y[r] = c;
    for (let j = 0; j < f; j++) x[r * f + j] = protos[c * f + j]! ^ (rng.next() < flip ? 1 : 0);
  }
  return {
    dataset: { name: opts.name ?? 'synthetic_purchase', x, y, n, shape: [f], classes: k, kind: 'tabular' },
    notes: [
      `Generated ${n} binary records of ${f} features in ${k} classes (density ${density}, flip ${flip}, seed ${seed}).`,
    ],
  };
}

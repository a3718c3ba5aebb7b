/**
 * Shadow data from the target model itself (Shokri et al. 2017, section V.C, Algorithm 1,
 * "model-based synthesis"): start from a random record; query the target; accept the record when the
 * target's confidence y_c in class c did not fall (y_c ≥ y*_c), else count a rejection; after `rejMax`
 * rejections in a row, halve k (at least `kMin`); propose the accepted record with k features
 * randomised. Stop with the record once y_c > confMin, c is the arg max and a uniform draw is below
 * y_c (the paper's sampling step), or fail after `iterMax` queries. Several records are grown side by
 * side and queried in one batch; every queried record counts as one query against the target's budget.
 */
import { deriveSeed, makeRng, type Rng } from '../../util/rng.js';
import type { Dataset } from '../dataset.js';

/** The target: probabilities (n × classes, row-major) for n records. */
export type QueryFn = (x: Float32Array, n: number) => Float32Array | Promise<Float32Array>;

export interface HillClimbOptions {
  features: number;
  classes: number;
  /** Features randomised per proposal at first; a quarter of the features by default. */
  kMax?: number;
  kMin?: number;
  /** Consecutive rejections before k halves; 10 by default. */
  rejMax?: number;
  /** The confidence a record must exceed; 0.8 by default. */
  confMin?: number;
  /** Queries per record before giving up; 500 by default. */
  iterMax?: number;
  /** Values of a randomised feature: bits (the paper's binary features, the default) or uniform in [min, max]. */
  domain?: 'binary' | { min: number; max: number };
  seed: number;
  /** Records grown side by side (one query batch); 32 by default. */
  batch?: number;
}

export interface HillClimbResult {
  /** The records synthesised, each labelled with the class it was grown for. */
  dataset: Dataset;
  /** Records queried from the target (the budget spent). */
  queries: number;
  /** Records given up after iterMax queries, per class. */
  failures: number[];
}

interface Chain {
  i: number;
  c: number;
  rng: Rng;
  x: Float32Array;
  best: Float32Array;
  bestConf: number;
  rejections: number;
  k: number;
  iter: number;
}

const value = (rng: Rng, d: HillClimbOptions['domain']): number =>
  d === undefined || d === 'binary' ? rng.int(2) : d.min + rng.next() * (d.max - d.min);

/** `from` with k distinct features, drawn at random, given new random values. */
function randomize(from: Float32Array, k: number, rng: Rng, d: HillClimbOptions['domain']): Float32Array {
  const x = from.slice();
  const f = x.length;
  const picked = new Set<number>();
  while (picked.size < Math.min(k, f)) picked.add(rng.int(f));
  for (const j of picked) x[j] = value(rng, d);
  return x;
}

/** One step of Algorithm 1 for a chain, given the target's probabilities `p` for its current record. Returns 'done' with a record, 'fail', or null to go on. */
function step(
  ch: Chain,
  p: Float32Array,
  o: Required<Omit<HillClimbOptions, 'domain'>> & HillClimbOptions,
): 'done' | 'fail' | null {
  const conf = p[ch.c]!;
  ch.iter++;
  if (conf >= ch.bestConf) {
    let argmax = 0;
    for (let j = 1; j < p.length; j++) if (p[j]! > p[argmax]!) argmax = j;
    if (conf > o.confMin && argmax === ch.c && ch.rng.next() < conf) return 'done';
    ch.best = ch.x;
    ch.bestConf = conf;
    ch.rejections = 0;
  } else if (++ch.rejections > o.rejMax) {
    ch.k = Math.max(o.kMin, Math.ceil(ch.k / 2));
    ch.rejections = 0;
  }
  if (ch.iter >= o.iterMax) return 'fail';
  ch.x = randomize(ch.best, ch.k, ch.rng, o.domain);
  return null;
}

/** Grows `perClass[c]` records for each class c against the target `query`. */
export async function synthesizeByModel(
  query: QueryFn,
  perClass: number[],
  opts: HillClimbOptions,
): Promise<HillClimbResult> {
  const f = opts.features;
  const o = {
    kMax: Math.max(1, Math.round(f / 4)),
    kMin: 1,
    rejMax: 10,
    confMin: 0.8,
    iterMax: 500,
    batch: 32,
    ...opts,
  };
  const todo = perClass.flatMap((m, c) => Array.from({ length: m }, () => c));
  const out: { x: Float32Array; c: number; i: number }[] = [];
  const failures = perClass.map(() => 0);
  let queries = 0;
  let next = 0;
  const start = (i: number): Chain => {
    const rng = makeRng(deriveSeed(o.seed, `synthesis/model/${i}`));
    const x = Float32Array.from({ length: f }, () => value(rng, o.domain));
    return { i, c: todo[i]!, rng, x, best: x, bestConf: 0, rejections: 0, k: o.kMax, iter: 0 };
  };
  let live: Chain[] = [];
  while (next < todo.length || live.length > 0) {
    while (live.length < o.batch && next < todo.length) live.push(start(next++));
    const xs = new Float32Array(live.length * f);
    live.forEach((ch, i) => xs.set(ch.x, i * f));
    const p = await query(xs, live.length);
    queries += live.length;
    live = live.filter((ch, i) => {
      const s = step(ch, p.subarray(i * o.classes, (i + 1) * o.classes), o);
      if (s === 'done') out.push({ x: ch.x, c: ch.c, i: ch.i });
      if (s === 'fail') failures[ch.c]!++;
      return s === null;
    });
  }
  out.sort((a, b) => a.i - b.i); // in the order of the requests, whatever the batch size
  const x = new Float32Array(out.length * f);
  out.forEach((r, i) => x.set(r.x, i * f));
  const dataset: Dataset = {
    name: 'synthetic_model',
    x,
    y: Int32Array.from(out, (r) => r.c),
    n: out.length,
    shape: [f],
    classes: o.classes,
    kind: 'tabular',
  };
  return { dataset, queries, failures };
}

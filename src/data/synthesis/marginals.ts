/**
 * Shadow data from statistics (Shokri et al. 2017, section V.C, "statistics-based synthesis"): an
 * attacker who knows the per-class marginal distribution of each feature, but has no records, samples
 * each feature independently from its class's marginal. Here the marginals are the empirical ones of
 * the given records (what the attacker knows): a synthetic record's class is drawn with the classes'
 * frequencies, and each of its features is that feature's value in a record of the class drawn at
 * random, feature by feature, so features are independent given the class.
 */
import { type Dataset, featureCount } from '../dataset.js';
import { deriveSeed, makeRng } from '../../util/rng.js';

export function synthesizeFromMarginals(
  stats: Pick<Dataset, 'x' | 'y' | 'n' | 'shape' | 'classes' | 'kind'>,
  count: number,
  seed: number,
): Dataset {
  const f = featureCount(stats);
  const byClass: number[][] = Array.from({ length: stats.classes }, () => []);
  for (let i = 0; i < stats.n; i++) byClass[stats.y[i]!]!.push(i);
  if (stats.n === 0) throw new RangeError('Statistics-based synthesis needs records to take the marginals from.');
  const rng = makeRng(deriveSeed(seed, 'synthesis/marginals'));
  const x = new Float32Array(count * f);
  const y = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const c = stats.y[rng.int(stats.n)]!;
    const pool = byClass[c]!;
    y[r] = c;
    for (let j = 0; j < f; j++) x[r * f + j] = stats.x[pool[rng.int(pool.length)]! * f + j]!;
  }
  return {
    name: 'synthetic_marginals',
    x,
    y,
    n: count,
    shape: stats.shape.slice(),
    classes: stats.classes,
    kind: stats.kind,
  };
}

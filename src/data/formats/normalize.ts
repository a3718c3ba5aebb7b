/**
 * Feature normalisation, fitted on some records and applied to all: `standard` (subtract the mean,
 * divide by the standard deviation; the default for tables), `minmax` (map [min, max] to [0, 1]) or
 * `none`. Fit it on the records the attacker may see (e.g. the attacker's pool) and apply it to every
 * record, so no statistic of the target's members leaks into the attacker's inputs; the caller decides
 * which indices those are. Each feature is treated alike, one-hot columns included; a feature that is
 * constant on the fitted records is only shifted (scale 1).
 */
import { match } from 'ts-pattern';
import { type Dataset, featureCount } from '../dataset.js';

export type NormalizeMethod = 'standard' | 'minmax' | 'none';

/** x ↦ (x − shift) / scale, per feature. */
export interface Normalizer {
  method: NormalizeMethod;
  shift: Float32Array;
  scale: Float32Array;
}

/** Fits `method` on the records at `indices` (all records when absent). */
export function fitNormalizer(
  d: Pick<Dataset, 'x' | 'n' | 'shape'>,
  method: NormalizeMethod,
  indices?: ArrayLike<number>,
): Normalizer {
  const f = featureCount(d);
  const idx = indices ?? Int32Array.from({ length: d.n }, (_, i) => i);
  const shift = new Float32Array(f);
  const scale = new Float32Array(f).fill(1);
  if (idx.length === 0 && method !== 'none') throw new Error('A normaliser needs at least one record to fit on.');
  match(method)
    .with('none', () => {})
    .with('minmax', () => {
      const lo = new Float64Array(f).fill(Infinity);
      const hi = new Float64Array(f).fill(-Infinity);
      for (let i = 0; i < idx.length; i++)
        for (let j = 0, o = idx[i]! * f; j < f; j++) {
          const v = d.x[o + j]!;
          if (v < lo[j]!) lo[j] = v;
          if (v > hi[j]!) hi[j] = v;
        }
      for (let j = 0; j < f; j++) {
        shift[j] = lo[j]!;
        if (hi[j]! > lo[j]!) scale[j] = hi[j]! - lo[j]!;
      }
    })
    .with('standard', () => {
      const sum = new Float64Array(f);
      const sq = new Float64Array(f);
      for (let i = 0; i < idx.length; i++) for (let j = 0, o = idx[i]! * f; j < f; j++) sum[j]! += d.x[o + j]!;
      for (let j = 0; j < f; j++) sum[j]! /= idx.length;
      for (let i = 0; i < idx.length; i++)
        for (let j = 0, o = idx[i]! * f; j < f; j++) sq[j]! += (d.x[o + j]! - sum[j]!) ** 2;
      for (let j = 0; j < f; j++) {
        shift[j] = sum[j]!;
        const sd = Math.sqrt(sq[j]! / idx.length);
        if (sd > 0) scale[j] = sd;
      }
    })
    .exhaustive();
  return { method, shift, scale };
}

/** A copy of the dataset with every record normalised. */
export function applyNormalizer<D extends Pick<Dataset, 'x' | 'shape'>>(d: D, norm: Normalizer): D {
  const f = featureCount(d);
  if (norm.shift.length !== f) throw new Error(`The normaliser has ${norm.shift.length} features, the data ${f}.`);
  if (norm.method === 'none') return d;
  const x = new Float32Array(d.x.length);
  for (let o = 0; o < x.length; o += f)
    for (let j = 0; j < f; j++) x[o + j] = (d.x[o + j]! - norm.shift[j]!) / norm.scale[j]!;
  return { ...d, x };
}

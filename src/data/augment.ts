/**
 * Augmented copies of records, for label-only attacks (Choquette-Choo et al. 2021) and LiRA with
 * augmented queries. The copies of a record, in order: the record itself, then for each augmentation
 * - rotate(r): rotations by −r and +r degrees (bilinear, about the image centre, zero outside);
 * - translate(d): every shift (dx, dy) with |dx| + |dy| = d pixels (4d shifts, zero filled);
 * - flip_bits(count, max): `count` copies, each flipping a random 1..max of the binary features;
 * - noise(sigma, queries): `queries` copies with Gaussian noise N(0, sigma²) added to every feature;
 * - ray(radius, directions, steps): boundary_distance's probes, x + (radius·s/steps)·u along random unit u.
 * Random copies are seeded (per copy), so the same seed gives the same copies.
 */
import { deriveSeed, makeRng, permutation } from '../util/rng.js';
import { featureCount, type Dataset } from './dataset.js';

export type AugmentationSpec =
  | { kind: 'rotate'; degrees: number }
  | { kind: 'translate'; pixels: number }
  | { kind: 'flip_bits'; count: number; max: number }
  | { kind: 'noise'; sigma: number; queries: number }
  | { kind: 'ray'; radius: number; directions: number; steps: number };

export class AugmentError extends Error {}

/** The copies of a record the augmentations query, the record itself included (1 + the sum of their counts). */
export function augmentationQueries(augs: readonly AugmentationSpec[]): number {
  return augs.reduce((n, a) => n + augmentationCount(a), 1);
}

/** The copies one augmentation adds: 2 rotations, 4d shifts, `count` bit flips, `queries` noisy copies. */
export function augmentationCount(a: AugmentationSpec): number {
  switch (a.kind) {
    case 'rotate':
      return 2;
    case 'translate':
      return 4 * a.pixels;
    case 'flip_bits':
      return a.count;
    case 'noise':
      return a.queries;
    case 'ray':
      return a.directions * a.steps;
  }
}

/** One copy: transforms one record's features (length featureCount) into `out`; `r` is the record, for seeding. */
type CopyFn = (src: Float32Array, out: Float32Array, r: number) => void;

export function augmentationCopies(
  augs: readonly AugmentationSpec[],
  ds: Pick<Dataset, 'shape' | 'kind'>,
  seed: number,
): CopyFn[] {
  const copies: CopyFn[] = [(src, out) => out.set(src)];
  const image = (what: string): [number, number, number] => {
    if (ds.kind !== 'image' || ds.shape.length !== 3)
      throw new AugmentError(
        `${what} needs image data (height × width × channels); this dataset's records have shape [${ds.shape.join(', ')}].`,
      );
    return [ds.shape[0]!, ds.shape[1]!, ds.shape[2]!];
  };
  augs.forEach((a, ai) => {
    switch (a.kind) {
      case 'rotate': {
        const [h, w, c] = image('rotate');
        for (const deg of [-a.degrees, a.degrees]) copies.push((src, out) => rotate(src, out, h, w, c, deg));
        break;
      }
      case 'translate': {
        const [h, w, c] = image('translate');
        const d = a.pixels;
        // The ring |dx| + |dy| = d, dx then dy ascending: 4d shifts in O(d) steps.
        for (let dx = -d; dx <= d; dx++) {
          const r = d - Math.abs(dx);
          for (const dy of r === 0 ? [0] : [-r, r]) copies.push((src, out) => translate(src, out, h, w, c, dx, dy));
        }
        break;
      }
      case 'flip_bits':
        for (let j = 0; j < a.count; j++) {
          copies.push((src, out, r) => {
            for (let i = 0; i < src.length; i++) {
              if (src[i] !== 0 && src[i] !== 1)
                throw new AugmentError(
                  `flip_bits needs binary features (0 or 1); feature ${i} of record ${r} is ${src[i]}.`,
                );
            }
            out.set(src);
            const rng = makeRng(deriveSeed(seed, `flip/${ai}/${j}/${r}`));
            const k = 1 + rng.int(Math.min(a.max, src.length));
            for (const i of permutation(src.length, rng).slice(0, k)) out[i] = 1 - out[i]!;
          });
        }
        break;
      case 'noise':
        for (let j = 0; j < a.queries; j++) {
          copies.push((src, out, r) => {
            const rng = makeRng(deriveSeed(seed, `noise/${ai}/${j}/${r}`));
            for (let i = 0; i < src.length; i++) out[i] = src[i]! + a.sigma * rng.normal();
          });
        }
        break;
      case 'ray': // the last case: nothing follows it
        return void copies.push(...rayCopies(a, ai, seed));
    }
  });
  return copies;
}

/**
 * ray(radius, directions, steps): for each of `directions` random unit directions u (seeded per record),
 * the copies x + (radius · s / steps) u for s = 1..steps, direction by direction.
 */
function rayCopies(a: { radius: number; directions: number; steps: number }, ai: number, seed: number): CopyFn[] {
  const out: CopyFn[] = [];
  for (let j = 0; j < a.directions; j++) {
    for (let s = 1; s <= a.steps; s++) {
      const t = (a.radius * s) / a.steps;
      out.push((src, dst, r) => {
        const rng = makeRng(deriveSeed(seed, `ray/${ai}/${j}/${r}`));
        const u = Float64Array.from(src, () => rng.normal());
        let norm = 0;
        for (let i = 0; i < u.length; i++) norm += u[i]! * u[i]!;
        norm = Math.sqrt(norm) || 1;
        for (let i = 0; i < src.length; i++) dst[i] = src[i]! + (t * u[i]!) / norm;
      });
    }
  }
  return out;
}

/** The features of every record of `ds` under copy `fn`. */
export function augmentAll(ds: Pick<Dataset, 'x' | 'n' | 'shape'>, fn: CopyFn): Float32Array {
  const f = featureCount(ds);
  const out = new Float32Array(ds.n * f);
  for (let r = 0; r < ds.n; r++) fn(ds.x.subarray(r * f, (r + 1) * f), out.subarray(r * f, (r + 1) * f), r);
  return out;
}

export function rotate(src: Float32Array, out: Float32Array, h: number, w: number, c: number, degrees: number): void {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t),
    sin = Math.sin(t);
  const cy = (h - 1) / 2,
    cx = (w - 1) / 2;
  const at = (y: number, x: number, ch: number): number =>
    y >= 0 && y < h && x >= 0 && x < w ? src[(y * w + x) * c + ch]! : 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // The source point that lands on (y, x) under a rotation by t.
      const sx = cos * (x - cx) + sin * (y - cy) + cx;
      const sy = -sin * (x - cx) + cos * (y - cy) + cy;
      const x0 = Math.floor(sx),
        y0 = Math.floor(sy);
      const fx = sx - x0,
        fy = sy - y0;
      for (let ch = 0; ch < c; ch++) {
        out[(y * w + x) * c + ch] =
          (1 - fy) * ((1 - fx) * at(y0, x0, ch) + fx * at(y0, x0 + 1, ch)) +
          fy * ((1 - fx) * at(y0 + 1, x0, ch) + fx * at(y0 + 1, x0 + 1, ch));
      }
    }
  }
}

/** Shifts the image by dx columns and dy rows (positive: right, down), filling with zeros. */
export function translate(
  src: Float32Array,
  out: Float32Array,
  h: number,
  w: number,
  c: number,
  dx: number,
  dy: number,
): void {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sy = y - dy,
        sx = x - dx;
      for (let ch = 0; ch < c; ch++)
        out[(y * w + x) * c + ch] = sy >= 0 && sy < h && sx >= 0 && sx < w ? src[(sy * w + sx) * c + ch]! : 0;
    }
  }
}

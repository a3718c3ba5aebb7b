/**
 * Seeded pseudo-random numbers. Every random choice mia makes (splits, shuffles, initial weights,
 * bootstrap resamples) goes through one of these, so the same seed gives the same numbers.
 */

/** A 32-bit FNV-1a hash of a string: turns a job's identity into a seed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Derives a child seed from a parent seed and a label, e.g. deriveSeed(7, "shadow/refs/3"). */
export function deriveSeed(seed: number, label: string): number {
  return hashString(`${seed >>> 0}:${label}`);
}

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** Fills out[0..count) with integers in [0, n): the same numbers as `count` calls of `int(n)`, faster. */
  ints(n: number, out: Uint32Array, count?: number): void;
  /** A standard normal draw. */
  normal(): number;
  /** A 31-bit integer, handy as a seed for another generator. */
  seed(): number;
}

const INTS_STATE = new Int32Array(4);

/**
 * `count` steps of sfc32 from `state` (a, b, c, d, updated), each as Math.floor(u / 2^32 · n): nextU32 on
 * the same bits in int32 locals, one function for every generator (a closure's variables live in its
 * context, uint32 values above 2^31 are doubles; a hot loop wants int32 registers and one warm feedback).
 */
function fillInts(state: Int32Array, n: number, out: Uint32Array, count: number): void {
  let a = state[0]!,
    b = state[1]!,
    c = state[2]!,
    d = state[3]!;
  for (let j = 0; j < count; j++) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    out[j] = Math.floor(((t >>> 0) / 4294967296) * n);
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
}

/** sfc32's four state words from a 32-bit seed, through splitmix32. */
function splitmixState(seed: number): [number, number, number, number] {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const a = split();
  const b = split();
  const c = split();
  const d = split();
  return [a, b, c, d];
}

/** Standard normals from uniforms by the Marsaglia polar method: each accepted pair gives two, the second kept. */
function polarNormal(next: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u = 0,
      v = 0,
      r = 0;
    do {
      u = 2 * next() - 1;
      v = 2 * next() - 1;
      r = u * u + v * v;
    } while (r === 0 || r >= 1);
    const f = Math.sqrt((-2 * Math.log(r)) / r);
    spare = v * f;
    return u * f;
  };
}

/** sfc32 seeded through splitmix32: fast, 128 bits of state, good enough for simulation. */
export function makeRng(seed: number): Rng {
  let [a, b, c, d] = splitmixState(seed);
  const nextU32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextU32();
  const next = (): number => nextU32() / 4294967296;
  const ints = (n: number, out: Uint32Array, count = out.length): void => {
    const state = INTS_STATE;
    state[0] = a;
    state[1] = b;
    state[2] = c;
    state[3] = d;
    fillInts(state, n, out, count);
    a = state[0]! >>> 0;
    b = state[1]! >>> 0;
    c = state[2]! >>> 0;
    d = state[3]! >>> 0;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    ints,
    normal: polarNormal(next),
    seed: () => nextU32() >>> 1,
  };
}

/** A seeded Fisher–Yates shuffle of a copy of `xs`. */
export function shuffled<T>(xs: readonly T[], rng: Rng): T[] {
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** A seeded permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): number[] {
  return shuffled(
    Array.from({ length: n }, (_, i) => i),
    rng,
  );
}

/**
 * The PLD accountant: the privacy loss distribution of the Poisson-subsampled Gaussian mechanism
 * (sensitivity 1, noise σ, sampling rate q), discretised pessimistically, composed over T steps by FFT
 * convolution with repeated squaring, and ε(δ) read off the composition (Koskela et al. 2020; Doroshenko
 * et al. 2022; the method of Google's dp_accounting, written here from the definitions).
 *
 * - The pair of distributions: "remove" P = (1−q)N(0, σ²) + qN(1, σ²) against Q = N(0, σ²), and "add" Q
 *   against P. Both are composed and the larger ε is taken (the add/remove neighbouring relation).
 * - One step's hockey-stick divergence δ(ε) = E_P[(1 − e^{ε−L})₊] has a closed form in Φ; the discrete
 *   PLD on the grid ε_k = k·h is the "connect the dots" one: its δ equals the exact δ at every grid point
 *   and is linear in e^ε between them, so it lies above the exact curve (δ is convex in e^ε): pessimistic.
 * - Composition: masses are convolved; after each convolution the tails beyond TAIL mass are cut, the
 *   upper one moved to the loss +∞ (counted in δ), the lower one to the lowest kept loss: pessimistic.
 * - Error: the ε stated is an upper bound (up to float rounding); it exceeds the exact ε by at most T·h
 *   (a grid of width h moves each step's loss up by at most h, T steps by T·h; the connect-the-dots PLD
 *   lies below that rounding), plus what the truncated tails add to δ (at most 2·TAIL per convolution).
 */
import { AccountantError } from './rdp.js';
import { convolve, fftLength } from './fft.js';
import { logAdd, logErfc, logSub } from './log-math.js';

/** The grid's width h in nats (dp_accounting's default value_discretization_interval). */
export const PLD_INTERVAL = 1e-3;
/** Mass cut from either tail after a convolution. */
const TAIL = 1e-15;
/** One step's noise is followed to this many standard deviations (Φ̄(10) ≈ 7.6e-24). */
const Z = 10;
/** The most bins of one step's PLD, and the longest FFT a composition may take (2²² float64 pairs ≈ 134 MB). */
export const PLD_LIMITS = { bins: 2 ** 21, fft: 2 ** 22 } as const;

/** P(N(0,1) > z). */
const tail = (z: number): number => Math.exp(logErfc(z / Math.SQRT2)) / 2;

type Direction = 'remove' | 'add';

/** log((1−q) + q·e^{(2x−1)/(2σ²)}): the remove direction's privacy loss at x. */
const lossAt = (q: number, sigma: number, x: number): number =>
  logAdd(Math.log1p(-q), Math.log(q) + (2 * x - 1) / (2 * sigma * sigma));

/** The x where the remove loss equals l (l above log(1 − q)). */
const xAt = (q: number, sigma: number, l: number): number =>
  sigma * sigma * (logSub(l, Math.log1p(-q)) - Math.log(q)) + 0.5;

/** One step's exact δ(ε) for the pair of the direction. */
export function stepDelta(dir: Direction, q: number, sigma: number, eps: number): number {
  const low = Math.log1p(-q); // the remove loss is above log(1 − q); the add loss below −log(1 − q)
  let d: number;
  if (dir === 'remove') {
    if (eps <= low) return -Math.expm1(eps);
    const x = xAt(q, sigma, eps);
    d = q * tail((x - 1) / sigma) - Math.exp(logSub(eps, low)) * tail(x / sigma);
  } else {
    if (-eps <= low) return 0;
    const x = xAt(q, sigma, -eps);
    d = (1 - Math.exp(eps + low)) * (1 - tail(x / sigma)) - q * Math.exp(eps) * (1 - tail((x - 1) / sigma));
  }
  return Math.min(1, Math.max(0, d));
}

/** A discrete PLD: masses at losses (lo + i)·h, and the mass at +∞. */
export interface Pld {
  lo: number;
  p: Float64Array;
  inf: number;
}

/** One step's grid: the bins [lo, hi] covering the loss over ±Z standard deviations of the noise. */
export function stepGrid(dir: Direction, q: number, sigma: number, h: number): { lo: number; hi: number } {
  const a = lossAt(q, sigma, -Z * sigma);
  const b = lossAt(q, sigma, 1 + Z * sigma);
  const [l, u] = dir === 'remove' ? [a, b] : [-lossAt(q, sigma, Z * sigma), -a];
  return { lo: Math.floor(l / h), hi: Math.ceil(u / h) };
}

/** The connect-the-dots discretisation of one step (see the file's comment). */
export function discretise(dir: Direction, q: number, sigma: number, h: number): Pld {
  const { lo, hi } = stepGrid(dir, q, sigma, h);
  const n = hi - lo + 1;
  const delta = Float64Array.from({ length: n }, (_, i) => stepDelta(dir, q, sigma, (lo + i) * h));
  // slope[i]: −(the slope of δ in e^ε) between grid points i−1 and i; 0 above the top.
  const slope = new Float64Array(n + 1);
  for (let i = 1; i < n; i++) slope[i] = (delta[i - 1]! - delta[i]!) / (Math.exp((lo + i - 1) * h) * Math.expm1(h));
  const p = new Float64Array(n);
  let sum = 0;
  for (let i = n - 1; i >= 1; i--) sum += p[i] = Math.max(0, Math.exp((lo + i) * h) * (slope[i]! - slope[i + 1]!));
  const inf = delta[n - 1]!;
  p[0] = Math.max(0, 1 - inf - sum);
  return { lo, p, inf };
}

/** Cuts up to TAIL of mass from each end: the top's to +∞, the bottom's onto the lowest bin kept. */
function truncate(d: Pld): Pld {
  const p = d.p;
  let top = p.length - 1;
  let cut = 0;
  while (top > 0 && cut + p[top]! <= TAIL) cut += p[top--]!;
  let bot = 0;
  let low = 0;
  while (bot < top && low + p[bot]! <= TAIL) low += p[bot++]!;
  const kept = p.slice(bot, top + 1);
  kept[0]! += low;
  return { lo: d.lo + bot, p: kept, inf: d.inf + cut };
}

function compose2(a: Pld, b: Pld): Pld {
  if (fftLength(a.p.length, b.p.length) > PLD_LIMITS.fft) throw tooLarge(a.p.length + b.p.length);
  return truncate({ lo: a.lo + b.lo, p: convolve(a.p, b.p), inf: a.inf + b.inf - a.inf * b.inf });
}

const tooLarge = (bins: number): AccountantError =>
  new AccountantError(
    `the PLD accountant would need about ${bins.toExponential(1)} loss bins (at most ${PLD_LIMITS.fft} are allowed): ` +
      'use the rdp accountant for these settings',
  );

/** The T-fold composition of one step's PLD, by repeated squaring. */
export function composePld(step: Pld, steps: number): Pld {
  let result: Pld | null = null;
  let power = step;
  for (let t = steps; t > 0; t = Math.floor(t / 2)) {
    if (t % 2 === 1) result = result ? compose2(result, power) : power;
    if (t > 1) power = compose2(power, power);
  }
  return result ?? { lo: 0, p: Float64Array.of(1), inf: 0 };
}

/** The least ε ≥ 0 with δ(ε) ≤ δ for the discrete PLD (grid width h); ∞ when the mass at +∞ exceeds δ. */
export function pldEpsilonAt(d: Pld, delta: number, h: number): number {
  if (d.inf > delta) return Infinity;
  let above = 0; // Σ_{i>k} p_i
  let scaled = 0; // Σ_{i>k} p_i e^{ℓ_k − ℓ_i}
  for (let k = d.p.length - 1; k >= 0; k--) {
    if (d.inf + above - scaled > delta) {
      const eps = (d.lo + k) * h + Math.log((d.inf + above - delta) / scaled);
      return Math.max(0, eps);
    }
    scaled = (scaled + d.p[k]!) * Math.exp(-h);
    above += d.p[k]!;
  }
  return Math.max(0, d.lo * h);
}

/** Estimates, before composing, the widest convolution the composition takes: throws when it is too wide. */
function checkSize(step: Pld, steps: number, h: number): void {
  let mean = 0;
  let second = 0;
  step.p.forEach((m, i) => {
    const l = (step.lo + i) * h;
    mean += m * l;
    second += m * l * l;
  });
  const sd = Math.sqrt(Math.max(0, second - mean * mean));
  const width = (t: number): number => Math.min(t * step.p.length, step.p.length + (2 * Z * Math.sqrt(t) * sd) / h);
  const widest = 2 * width(2 ** Math.floor(Math.log2(Math.max(1, steps))));
  if (fftLength(widest, 1) > PLD_LIMITS.fft) throw tooLarge(widest);
}

export interface PldResult {
  epsilon: number;
  /** The most by which ε may exceed the exact ε from the discretisation: steps · h. */
  discretisationError: number;
}

export interface PldSetting {
  q: number;
  sigma: number;
  steps: number;
  delta: number;
  interval?: number;
}

/** The sizes of one step's grid in both directions, checked before anything is allocated. */
function checkGrid(q: number, sigma: number, h: number): void {
  for (const dir of ['remove', 'add'] as const) {
    const { lo, hi } = stepGrid(dir, q, sigma, h);
    const bins = hi - lo + 1;
    if (!(bins <= PLD_LIMITS.bins) || Math.abs(lo * h) > 600 || Math.abs(hi * h) > 600)
      throw new AccountantError(
        `the PLD accountant would need ${Number.isFinite(bins) ? bins.toExponential(1) : 'unboundedly many'} loss ` +
          `bins for one step at noise multiplier ${sigma} (at most ${PLD_LIMITS.bins}): use the rdp accountant or more noise`,
      );
  }
}

/** ε at δ of T steps of the Poisson-subsampled Gaussian mechanism, by the PLD (an upper bound). */
export function pldEpsilon(s: PldSetting): PldResult {
  const h = s.interval ?? PLD_INTERVAL;
  if (!(s.q > 0 && s.q <= 1)) throw new RangeError(`sampling rate ${s.q} is not in (0, 1]`);
  if (!(s.delta > 0 && s.delta < 1)) throw new RangeError(`δ = ${s.delta} is not in (0, 1)`);
  if (!(s.steps >= 1 && Number.isInteger(s.steps))) throw new AccountantError(`${s.steps} steps is not a count`);
  if (s.sigma === Infinity) return { epsilon: 0, discretisationError: 0 };
  if (!(s.sigma > 0)) throw new AccountantError(`noise multiplier ${s.sigma} is not positive`);
  checkGrid(s.q, s.sigma, h);
  // With q = 1 both directions are one Gaussian pair, the same PLD: composing one is enough.
  const dirs: Direction[] = s.q === 1 ? ['remove'] : ['remove', 'add'];
  const steps = dirs.map((d) => discretise(d, s.q, s.sigma, h));
  for (const st of steps) checkSize(st, s.steps, h);
  const epsilon = Math.max(...steps.map((st) => pldEpsilonAt(composePld(st, s.steps), s.delta, h)));
  return { epsilon, discretisationError: s.steps * h };
}

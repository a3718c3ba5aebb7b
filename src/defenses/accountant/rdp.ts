/**
 * The privacy accountant of DP-SGD: Rényi differential privacy of the sampled Gaussian mechanism
 * (Mironov, Talwar & Zhang 2019), composed over the training steps and converted to (ε, δ).
 *
 * For an order α and sampling rate q, RDP(α) = log A_α / (α − 1) with A_α = E_{z∼μ0}[(μ(z)/μ0(z))^α],
 * μ0 = N(0, σ²), μ = (1 − q)μ0 + qN(1, σ²). For integer α the binomial expansion is exact and finite:
 * A_α = Σ_k C(α, k)(1 − q)^{α−k} q^k exp((k² − k)/(2σ²)). For fractional α the integral is split at
 * z0 = σ² log(1/q − 1) + 1/2 into two convergent series with erfc factors (the paper's section 3.3, the
 * computation TensorFlow Privacy and Opacus use). Every sum is taken in log space.
 *
 * Conversion to (ε, δ), minimised over the orders:
 * - 'improved' (Balle et al. 2020, used by Opacus' get_privacy_spent and TF Privacy's compute_eps, and the
 *   default here): ε = RDP(α) − (log δ + log α)/(α − 1) + log((α − 1)/α);
 * - 'classic' (Mironov 2017, used by TF Privacy before 2020): ε = RDP(α) + log(1/δ)/(α − 1).
 */
import { logAdd, logErfc, logSub } from './log-math.js';

/** The orders TF Privacy and Opacus use: 1.1 to 10.9 in steps of 0.1, 11 to 63, 128, 256 and 512. */
export const DEFAULT_ORDERS: readonly number[] = [
  ...Array.from({ length: 99 }, (_, i) => (11 + i) / 10),
  ...Array.from({ length: 53 }, (_, i) => 11 + i),
  128,
  256,
  512,
];

export type Conversion = 'improved' | 'classic';

/** A setting the accountant cannot answer for: the message names the quantity and the range that works. */
export class AccountantError extends RangeError {}

/** (k² − k) / (2σ²), written so that a σ whose square under- or overflows gives ∞ or 0, never NaN. */
const exponent = (k: number, sigma: number): number => (k * k - k === 0 ? 0 : (k * k - k) / (2 * sigma) / sigma);

/** log A_α for integer α ≥ 2 by the finite binomial expansion (at most 513 terms for the default orders). */
function logAInt(q: number, sigma: number, alpha: number): number {
  let logA = -Infinity;
  let logBinom = 0; // log C(α, k)
  for (let k = 0; k <= alpha; k++) {
    if (k > 0) logBinom += Math.log(alpha - k + 1) - Math.log(k);
    logA = logAdd(logA, logBinom + k * Math.log(q) + (alpha - k) * Math.log1p(-q) + exponent(k, sigma));
  }
  return logA;
}

/**
 * The noise multipliers for which the fractional series is summed. Measured over q from 10⁻¹² to 1 − 10⁻⁹
 * and every default order: at most 20,000 terms (q = 1/2, σ = 100, α = 1.1), below 12 for σ ≤ 0.05.
 * Outside it, a fractional order takes a bound that is always finite to compute (see rdpSampledGaussian).
 */
export const FRACTIONAL_SIGMA = { min: 0.01, max: 100 } as const;
/** The terms either fractional series may take: above the measured need, so hitting it means a bug. */
export const MAX_TERMS = 50_000;

/**
 * log A_α for fractional α > 1: two series of generalised binomial terms, with signs, until both fall below
 * e^−30; NaN when they have not after MAX_TERMS terms.
 */
function logAFrac(q: number, sigma: number, alpha: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  const s2 = Math.SQRT2 * sigma;
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  let logCoef = 0; // log |C(α, i)|
  let positive = true;
  for (let i = 0; i < MAX_TERMS; i++) {
    if (i > 0) {
      const f = alpha - i + 1;
      logCoef += Math.log(Math.abs(f)) - Math.log(i);
      if (f < 0) positive = !positive;
    }
    const j = alpha - i;
    const logS0 = logCoef + i * logQ + j * log1mQ + exponent(i, sigma) + Math.log(0.5) + logErfc((i - z0) / s2);
    const logS1 = logCoef + j * logQ + i * log1mQ + exponent(j, sigma) + Math.log(0.5) + logErfc((z0 - j) / s2);
    if (positive) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) return logAdd(logA0, logA1);
  }
  return Number.NaN;
}

/** One step's RDP at order α by the series, σ in (0, ∞]: never below 0 (which rounding may give). */
function rdpSeries(q: number, sigma: number, alpha: number): number {
  const logA = Number.isInteger(alpha) ? logAInt(q, sigma, alpha) : logAFrac(q, sigma, alpha);
  return Number.isNaN(logA) ? logA : Math.max(0, logA / (alpha - 1));
}

/**
 * RDP of one step of the sampled Gaussian mechanism at order α (sensitivity 1, noise σ, sampling rate q),
 * or an upper bound on it, never increasing with σ, computed in a bounded number of terms for every σ ≥ 0:
 * - an integer order, or a fractional one with σ in FRACTIONAL_SIGMA: the series, exactly;
 * - a fractional order with σ below that range: the RDP at ⌈α⌉ (Rényi divergences grow with the order);
 * - a fractional order with σ above it: the lesser of its RDP at σ = FRACTIONAL_SIGMA.max (RDP falls as σ
 *   grows) and the RDP at ⌈α⌉.
 * A tiny σ gives ∞ (no bound at this order); σ = ∞ gives 0.
 */
export function rdpSampledGaussian(q: number, sigma: number, alpha: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`sampling rate ${q} is not in [0, 1]`);
  if (!(alpha > 1)) throw new RangeError(`order ${alpha} is not above 1`);
  if (!(sigma >= 0)) throw new RangeError(`noise multiplier ${sigma} is not a number ≥ 0`);
  if (q === 0) return 0;
  if (sigma === 0) return Infinity;
  if (q === 1) return alpha / (2 * sigma) / sigma;
  if (Number.isInteger(alpha)) return rdpSeries(q, sigma, alpha);
  const ceil = (): number => rdpSeries(q, sigma, Math.ceil(alpha));
  if (sigma < FRACTIONAL_SIGMA.min) return ceil();
  if (sigma > FRACTIONAL_SIGMA.max) return Math.min(rdpSampledGaussian(q, FRACTIONAL_SIGMA.max, alpha), ceil());
  const r = rdpSeries(q, sigma, alpha);
  return Number.isNaN(r) ? ceil() : r;
}

/** RDP of `steps` compositions at each order (RDP adds up over steps). */
export function computeRdp(
  q: number,
  sigma: number,
  steps: number,
  orders: readonly number[] = DEFAULT_ORDERS,
): number[] {
  if (!(steps >= 0 && Number.isFinite(steps))) throw new AccountantError(`${steps} steps is not a finite count`);
  return orders.map((a) => {
    const r = rdpSampledGaussian(q, sigma, a);
    return r === 0 ? 0 : r * steps;
  });
}

export interface EpsilonResult {
  epsilon: number;
  /** The order at which the minimum is reached. */
  order: number;
}

/** ε at δ from RDP values at the given orders: the minimum over orders of the chosen conversion. */
export function rdpToEpsilon(
  orders: readonly number[],
  rdp: readonly number[],
  delta: number,
  conversion: Conversion = 'improved',
): EpsilonResult {
  if (!(delta > 0 && delta < 1)) throw new RangeError(`δ = ${delta} is not in (0, 1)`);
  let best: EpsilonResult = { epsilon: Infinity, order: Number.NaN };
  orders.forEach((a, i) => {
    const r = rdp[i]!;
    const eps =
      conversion === 'improved'
        ? r - (Math.log(delta) + Math.log(a)) / (a - 1) + Math.log((a - 1) / a)
        : r - Math.log(delta) / (a - 1);
    if (Number.isFinite(eps) && eps < best.epsilon) best = { epsilon: Math.max(0, eps), order: a };
  });
  return best;
}

/**
 * The least ε the conversion states at δ whatever the noise, sampling and steps: its value at RDP 0 (σ = ∞),
 * set by the largest orders (0.0084 at δ = 1e-5 with the default orders, improved conversion).
 */
export function leastEpsilon(
  delta: number,
  conversion: Conversion = 'improved',
  orders: readonly number[] = DEFAULT_ORDERS,
): number {
  return rdpToEpsilon(
    orders,
    orders.map(() => 0),
    delta,
    conversion,
  ).epsilon;
}

export interface DpSgdSetting {
  datasetSize: number;
  batchSize: number;
  epochs: number;
  delta: number;
}

/** q = batch / N and steps = ⌈epochs · N / batch⌉, as TF Privacy's compute_dp_sgd_privacy. */
export function samplingOf(s: DpSgdSetting): { q: number; steps: number } {
  return { q: s.batchSize / s.datasetSize, steps: Math.ceil((s.epochs * s.datasetSize) / s.batchSize) };
}

/** ε of DP-SGD with Poisson sampling at rate batch/N and noise multiplier σ, after the given epochs. */
export function dpSgdEpsilon(
  s: DpSgdSetting & { noise: number },
  conversion: Conversion = 'improved',
  orders: readonly number[] = DEFAULT_ORDERS,
): EpsilonResult {
  const { q, steps } = samplingOf(s);
  return rdpToEpsilon(orders, computeRdp(q, s.noise, steps, orders), s.delta, conversion);
}

const short = (x: number): string => String(Number(x.toPrecision(3)));

/** The least k with ε(2^k) ≤ target, k from −1074 to 1024 (2^1024 = ∞), by binary search on k (ε falls as σ grows). */
function leastPowerOfTwo(eps: (noise: number) => number, target: number): number {
  let lo = -1074; // ε(2^−1074) = ∞ > target
  let hi = 1024;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (eps(2 ** mid) <= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The smallest noise multiplier (to a relative 1e-6) whose ε does not exceed the target: a binary search on
 * the power of two, then bisection (ε falls as σ grows); about 30 evaluations of ε whatever the settings.
 * Throws an AccountantError, naming the least ε reachable, when even unbounded noise does not reach the target.
 */
export function noiseForEpsilon(
  s: DpSgdSetting & { epsilon: number },
  conversion: Conversion = 'improved',
  orders: readonly number[] = DEFAULT_ORDERS,
): number {
  if (!(s.epsilon > 0)) throw new AccountantError(`the target ε = ${s.epsilon} is not positive`);
  const eps = (noise: number): number => dpSgdEpsilon({ ...s, noise }, conversion, orders).epsilon;
  const floor = eps(Infinity);
  const k = floor <= s.epsilon ? leastPowerOfTwo(eps, s.epsilon) : 1024;
  if (k === 1024) {
    const { q, steps } = samplingOf(s);
    throw new AccountantError(
      `no noise multiplier reaches ε = ${s.epsilon} at δ = ${s.delta} (sampling rate ${short(q)}, ${steps} steps): ` +
        `the least ε the RDP accountant states for these settings, with unbounded noise, is ${short(floor)}`,
    );
  }
  let lo = 2 ** (k - 1);
  let hi = 2 ** k;
  for (let i = 0; i < 64 && hi - lo > 1e-6 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (eps(mid) > s.epsilon) lo = mid;
    else hi = mid;
  }
  return hi;
}

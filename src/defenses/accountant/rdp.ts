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

/** log A_α for integer α ≥ 2 by the finite binomial expansion. */
function logAInt(q: number, sigma: number, alpha: number): number {
  let logA = -Infinity;
  let logBinom = 0; // log C(α, k)
  for (let k = 0; k <= alpha; k++) {
    if (k > 0) logBinom += Math.log(alpha - k + 1) - Math.log(k);
    const term = logBinom + k * Math.log(q) + (alpha - k) * Math.log1p(-q) + (k * k - k) / (2 * sigma * sigma);
    logA = logAdd(logA, term);
  }
  return logA;
}

/** log A_α for fractional α > 1: two series of generalised binomial terms, with signs, until both fall below e^−30. */
function logAFrac(q: number, sigma: number, alpha: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  const s2 = Math.SQRT2 * sigma;
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  let logCoef = 0; // log |C(α, i)|
  let positive = true;
  for (let i = 0; i < 1_000_000; i++) {
    if (i > 0) {
      const f = alpha - i + 1;
      logCoef += Math.log(Math.abs(f)) - Math.log(i);
      if (f < 0) positive = !positive;
    }
    const j = alpha - i;
    const logT0 = logCoef + i * logQ + j * log1mQ;
    const logT1 = logCoef + j * logQ + i * log1mQ;
    const logE0 = Math.log(0.5) + logErfc((i - z0) / s2);
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / s2);
    const logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (positive) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) break;
  }
  return logAdd(logA0, logA1);
}

/** RDP of one step of the sampled Gaussian mechanism at order α (sensitivity 1, noise σ, sampling rate q). */
export function rdpSampledGaussian(q: number, sigma: number, alpha: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`sampling rate ${q} is not in [0, 1]`);
  if (!(alpha > 1)) throw new RangeError(`order ${alpha} is not above 1`);
  if (q === 0) return 0;
  if (sigma === 0) return Infinity;
  if (q === 1) return alpha / (2 * sigma * sigma);
  const logA = Number.isInteger(alpha) ? logAInt(q, sigma, alpha) : logAFrac(q, sigma, alpha);
  return logA / (alpha - 1);
}

/** RDP of `steps` compositions at each order (RDP adds up over steps). */
export function computeRdp(
  q: number,
  sigma: number,
  steps: number,
  orders: readonly number[] = DEFAULT_ORDERS,
): number[] {
  return orders.map((a) => rdpSampledGaussian(q, sigma, a) * steps);
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

/**
 * The smallest noise multiplier (to a relative 1e-6) whose ε does not exceed the target, by bisection
 * (ε falls as σ grows). Throws a RangeError when even σ = 10⁴ does not reach it.
 */
export function noiseForEpsilon(
  s: DpSgdSetting & { epsilon: number },
  conversion: Conversion = 'improved',
  orders: readonly number[] = DEFAULT_ORDERS,
): number {
  if (!(s.epsilon > 0)) throw new RangeError(`target ε = ${s.epsilon} is not positive`);
  const eps = (noise: number): number => dpSgdEpsilon({ ...s, noise }, conversion, orders).epsilon;
  let lo = 0;
  let hi = 1;
  while (eps(hi) > s.epsilon) {
    lo = hi;
    hi *= 2;
    if (hi > 1e4) throw new RangeError(`no noise multiplier up to 10⁴ reaches ε = ${s.epsilon}`);
  }
  while (hi - lo > 1e-6 * hi) {
    const mid = (lo + hi) / 2;
    if (eps(mid) > s.epsilon) lo = mid;
    else hi = mid;
  }
  return hi;
}

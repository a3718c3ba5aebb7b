/**
 * Small float64 statistics the scoring attacks share: means and deviations, and the Gaussian's log
 * density and log CDF computed to double precision in the tails (where low-FPR metrics live).
 */

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** The median (numpy's: the mean of the middle two for an even count). */
export function median(xs: ArrayLike<number>): number {
  const s = Float64Array.from(xs).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * The mean after cutting ⌊proportion·n⌋ of the lowest and as many of the highest values (scipy's
 * `trim_mean`, which cuts less rather than more); proportion 0 is the plain mean.
 */
export function trimmedMean(xs: ArrayLike<number>, proportion: number): number {
  const cut = Math.floor(proportion * xs.length);
  if (cut === 0) return mean(xs);
  const s = Float64Array.from(xs).sort();
  return mean(s.subarray(cut, s.length - cut));
}

/** Population standard deviation (numpy's default, ddof = 0). */
export function std(xs: ArrayLike<number>, mu = mean(xs)): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i]! - mu;
    s += d * d;
  }
  return Math.sqrt(s / xs.length);
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** log N(x; mu, sigma²). */
export function logNormalPdf(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / sigma;
  return -0.5 * z * z - Math.log(sigma) - LOG_SQRT_2PI;
}

/**
 * log Φ(x), the log of the standard normal CDF, accurate to a few ulps everywhere:
 * for x < −3 from the continued fraction of the Mills ratio (no underflow down to x ≈ −1e150);
 * for −3 ≤ x ≤ 3 from Marsaglia's series Φ(x) = ½ + φ(x)(x + x³/3 + x⁵/15 + …);
 * for x > 3 as log1p(−Q(x)) with Q the upper tail from the continued fraction.
 */
export function logNormalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x === -Infinity) return -Infinity;
  if (x < -3) return logUpperTail(-x);
  if (x > 3) return Math.log1p(-Math.exp(logUpperTail(x)));
  let term = x,
    sum = x;
  const x2 = x * x;
  for (let k = 3; Math.abs(term) > 1e-17 * Math.abs(sum); k += 2) {
    term *= x2 / k;
    sum += term;
  }
  return Math.log(0.5 + Math.exp(-0.5 * x2 - LOG_SQRT_2PI) * sum);
}

/** log Q(t) for t > 0 (Q = 1 − Φ), by Lentz's evaluation of Q(t) = φ(t) / (t + 1/(t + 2/(t + 3/(t + …)))). */
function logUpperTail(t: number): number {
  const tiny = 1e-300;
  let f = t,
    c = t,
    d = 0;
  for (let k = 1; k < 500; k++) {
    d = t + k * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = t + k / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -0.5 * t * t - LOG_SQRT_2PI - Math.log(f);
}

/** Φ(x), the standard normal CDF, accurate in both tails. */
export function normalCdf(x: number): number {
  return x > 0 ? -Math.expm1(logNormalCdf(-x)) : Math.exp(logNormalCdf(x));
}

const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** Φ⁻¹(p): Acklam's rational approximation, then two Halley steps on Φ (full double precision). */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
      (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  }
  for (let i = 0; i < 2; i++) {
    // Halley on ln Φ(x) − ln p, which keeps its relative precision deep in the lower tail.
    const lc = logNormalCdf(x);
    const e = lc - Math.log(p);
    const ratio = Math.exp(-0.5 * x * x - 0.5 * Math.log(2 * Math.PI) - lc); // φ(x)/Φ(x)
    x -= e / (ratio + (e * (x + ratio)) / 2);
  }
  return x;
}

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

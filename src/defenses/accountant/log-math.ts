/**
 * Arithmetic in log space for the RDP accountant: log(e^a + e^b), log(e^a − e^b) and log erfc(x),
 * the last accurate (relative error near 1e-14) from x = −∞ to x = +∞, where erfc itself underflows.
 */

export function logAdd(a: number, b: number): number {
  if (a === Infinity || b === Infinity) return Infinity;
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

/** log(e^a − e^b) for a ≥ b; −∞ when they are equal (or b exceeds a by rounding). */
export function logSub(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (b >= a) return -Infinity;
  return a + Math.log1p(-Math.exp(b - a));
}

/** erf(x) for 0 ≤ x ≤ 3 by the series 2/√π e^{−x²} Σ 2ⁿ x^{2n+1} / (1·3···(2n+1)): all terms positive. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

/**
 * log(√π e^{x²} erfc(x)) for x > 3 by the continued fraction erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x +
 * (3/2)/(x + …)))), evaluated by the modified Lentz method.
 */
function logScaledErfcCf(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -Math.log(f);
}

export function logErfc(x: number): number {
  if (x === Infinity) return -Infinity;
  if (x === -Infinity) return Math.LN2;
  if (x < 0) return Math.log(2 - Math.exp(logErfc(-x)));
  if (x <= 3) return Math.log1p(-erfSeries(x));
  return -x * x - 0.5 * Math.log(Math.PI) + logScaledErfcCf(x);
}

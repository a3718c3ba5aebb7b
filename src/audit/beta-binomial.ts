/**
 * The statistics the ε lower bounds share, in float64: the regularized incomplete beta function and its
 * inverse (hence Clopper–Pearson bounds and binomial tails).
 */
import { normalQuantile } from '../metrics/index.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** The continued fraction of I_x(a, b) by the modified Lentz method (converges fast for x < (a+1)/(a+b+2)). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const fix = (v: number) => (Math.abs(v) < tiny ? tiny : v);
  let c = 1;
  let d = 1 / fix(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let k = 1; k < 100_000; k++) {
    const k2 = 2 * k;
    const even = (k * (b - k) * x) / ((a - 1 + k2) * (a + k2));
    d = 1 / fix(1 + even * d);
    c = fix(1 + even / c);
    h *= d * c;
    const odd = (-(a + k) * (a + b + k) * x) / ((a + k2) * (a + 1 + k2));
    d = 1 / fix(1 + odd * d);
    c = fix(1 + odd / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return h;
}

/** I_x(a, b), the regularized incomplete beta function (the Beta(a, b) CDF at x), for a, b > 0. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** The x with I_x(a, b) = p: Newton's method safeguarded by bisection on a shrinking bracket. */
export function betaQuantile(p: number, a: number, b: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  // Start from the normal approximation of Beta(a, b), kept inside (0, 1).
  const mean = a / (a + b),
    sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
  let lo = 0,
    hi = 1,
    x = Math.min(Math.max(mean + normalQuantile(p) * sd, mean / 100), 1 - (1 - mean) / 100);
  const lb = logBeta(a, b);
  for (let i = 0; i < 300; i++) {
    const f = incompleteBeta(x, a, b) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const density = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lb);
    let next = x - f / density;
    if (!(next > lo && next < hi)) next = lo > 0 || hi < 1 ? (lo + hi) / 2 : x / 2;
    if (Math.abs(next - x) <= 1e-15 * x || hi - lo <= 1e-300) return next;
    x = next;
  }
  return x;
}

/**
 * One-sided Clopper–Pearson upper bound on a binomial proportion from k successes in n trials: the p with
 * P[Binomial(n, p) ≤ k] = α, so that P[p_true > bound] ≤ α. For k = 0 it is 1 − α^(1/n).
 */
export function clopperPearsonUpper(k: number, n: number, alpha: number): number {
  if (k >= n) return 1;
  const key = `${k} ${n} ${alpha}`;
  let v = upperMemo.get(key);
  if (v === undefined) {
    if (upperMemo.size > 100_000) upperMemo.clear();
    v = 1 - betaQuantile(alpha, n - k, k + 1); // I_x(k+1, n−k) = 1 − α as I_{1−x}(n−k, k+1) = α: no 1 − α rounding
    upperMemo.set(key, v);
  }
  return v;
}

/** The audits ask for the same bounds at many thresholds (and by two methods); they are pure, so remembered. */
const upperMemo = new Map<string, number>();

/** One-sided Clopper–Pearson lower bound (P[p_true < bound] ≤ α). For k = n it is α^(1/n). */
export function clopperPearsonLower(k: number, n: number, alpha: number): number {
  return k <= 0 ? 0 : betaQuantile(alpha, k, n - k + 1);
}

/** P[Binomial(n, q) ≥ k] = I_q(k, n − k + 1). */
export function binomialUpperTail(k: number, n: number, q: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  return incompleteBeta(q, k, n - k + 1);
}

/** ln of the binomial probability P[Binomial(n, q) = k], from ln q and ln(1 − q) (so q near 1 keeps its digits). */
export function logBinomialPmf(k: number, n: number, logQ: number, log1mQ: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * logQ + (n - k) * log1mQ;
}

/**
 * The largest x ≥ start (to 1e-9, relative above 1) at which `holds` is true, for a predicate true at
 * `start` and false from some point on: doubling from max(1, 2·start) until it fails or reaches `cap`,
 * then bisection. The one-run bounds search their ε or μ with it.
 */
export function largestWhere(holds: (x: number) => boolean, start: number, cap: number): number {
  let lo = start,
    hi = Math.max(1, 2 * start);
  while (holds(hi) && hi < cap) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1e-9 * Math.max(1, lo)) {
    const mid = (lo + hi) / 2;
    if (holds(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

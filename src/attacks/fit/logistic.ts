/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS), in float64. The objective is
 * scikit-learn's default: Σ log-loss + ||w||² / (2C), intercept not penalised, so C = 1 matches
 * `LogisticRegression()`. Exact to convergence and deterministic.
 */

export interface LogisticModel {
  weights: Float64Array;
  bias: number;
}

function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => {
    const r = new Float64Array(n + 1);
    r.set(row);
    r[n] = b[i]!;
    return r;
  });
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[piv]![col]!)) piv = r;
    [m[col], m[piv]] = [m[piv]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-300) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / p;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return Float64Array.from({ length: n }, (_, i) => (Math.abs(m[i]![i]!) < 1e-300 ? 0 : m[i]![n]! / m[i]![i]!));
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export function fitLogistic(
  x: Float64Array[],
  y: ArrayLike<number>,
  opts: { C?: number; maxIter?: number; tol?: number } = {},
): LogisticModel {
  const C = opts.C ?? 1;
  const d = x[0]?.length ?? 0;
  const k = d + 1; // last coordinate is the intercept
  const beta = new Float64Array(k);
  for (let iter = 0; iter < (opts.maxIter ?? 100); iter++) {
    const grad = new Float64Array(k);
    const hess = Array.from({ length: k }, () => new Float64Array(k));
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!;
      let z = beta[d]!;
      for (let j = 0; j < d; j++) z += beta[j]! * xi[j]!;
      const p = sigmoid(z);
      const r = p - y[i]!;
      const w = Math.max(p * (1 - p), 1e-12);
      for (let a = 0; a < k; a++) {
        const xa = a === d ? 1 : xi[a]!;
        grad[a]! += r * xa;
        const row = hess[a]!;
        for (let b = a; b < k; b++) row[b]! += w * xa * (b === d ? 1 : xi[b]!);
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) hess[a]![b] = hess[b]![a]!;
    for (let j = 0; j < d; j++) {
      grad[j]! += beta[j]! / C;
      hess[j]![j]! += 1 / C;
    }
    const step = solve(hess, grad);
    let maxStep = 0;
    for (let a = 0; a < k; a++) {
      beta[a]! -= step[a]!;
      maxStep = Math.max(maxStep, Math.abs(step[a]!));
    }
    if (maxStep < (opts.tol ?? 1e-10)) break;
  }
  return { weights: beta.slice(0, d), bias: beta[d]! };
}

export function predictLogistic(m: LogisticModel, x: Float64Array): number {
  let z = m.bias;
  for (let j = 0; j < m.weights.length; j++) z += m.weights[j]! * x[j]!;
  return sigmoid(z);
}

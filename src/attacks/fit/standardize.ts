/**
 * Standardisation of an attack classifier's inputs, as scikit-learn's StandardScaler in a pipeline:
 * each feature is centred on its mean over the training rows and divided by its standard deviation
 * there (the population one, ddof 0); a feature constant on them is only centred (scale 1). Fitted on
 * the attack's training rows (the shadows' outputs) and applied unchanged to the target's.
 */

export type Transform = (x: Float64Array) => Float64Array;

export function fitStandardizer(x: readonly Float64Array[]): Transform {
  const d = x[0]?.length ?? 0;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const row of x) for (let j = 0; j < d; j++) mean[j]! += row[j]!;
  for (let j = 0; j < d; j++) mean[j]! /= x.length;
  for (const row of x) for (let j = 0; j < d; j++) scale[j]! += (row[j]! - mean[j]!) ** 2;
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(scale[j]! / x.length);
    scale[j] = sd > 0 && Number.isFinite(sd) ? sd : 1;
  }
  return (v) => Float64Array.from(v, (u, j) => (u - mean[j]!) / scale[j]!);
}

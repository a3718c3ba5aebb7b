/** A loaded dataset: records as rows of float32 features with integer class labels. */
export interface Dataset {
  name: string;
  /** Row-major features, `n * featureCount` values. */
  x: Float32Array;
  y: Int32Array;
  n: number;
  /** The shape of one record: [784] for tabular rows, [28, 28, 1] for images (height, width, channels). */
  shape: number[];
  classes: number;
  kind: 'image' | 'tabular';
}

export const featureCount = (d: Pick<Dataset, 'shape'>): number => d.shape.reduce((a, b) => a * b, 1);

/** Features and labels of the records at `idx`, in that order. */
export function gather(d: Dataset, idx: ArrayLike<number>): { x: Float32Array; y: Int32Array } {
  const f = featureCount(d);
  const x = new Float32Array(idx.length * f);
  const y = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    x.set(d.x.subarray(r * f, (r + 1) * f), i * f);
    y[i] = d.y[r]!;
  }
  return { x, y };
}

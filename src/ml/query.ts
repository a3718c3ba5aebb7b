/** Querying a model: logits for a set of records, in batches, copied to the host. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

export function queryLogits(
  model: tfl.LayersModel,
  x: Float32Array,
  n: number,
  shape: number[],
  classes: number,
  batch = 1000,
): Float32Array {
  const out = new Float32Array(n * classes);
  for (let start = 0; start < n; start += batch) {
    const size = Math.min(batch, n - start);
    const f = shape.reduce((a, b) => a * b, 1);
    const logits = tf.tidy(
      () =>
        model.apply(tf.tensor(x.subarray(start * f, (start + size) * f), [size, ...shape]), {
          training: false,
        }) as tf.Tensor,
    );
    out.set(logits.dataSync() as Float32Array, start * classes);
    logits.dispose();
  }
  return out;
}

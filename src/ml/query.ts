/**
 * Querying a model: logits for a set of records, in large batches (each costs a few kernels whatever its size;
 * a row's logits do not depend on the batch it is in), copied to the host. A model of dense layers on wasm runs
 * through the dense kernels (dense-step.ts: the same numbers as model.apply, a sparse input's zeros skipped).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { denseLayers, denseLogits } from './dense-step.js';

export function queryLogits(
  model: tfl.LayersModel,
  x: Float32Array,
  n: number,
  shape: number[],
  classes: number,
  batch?: number,
): Float32Array {
  const out = new Float32Array(n * classes);
  const f = shape.reduce((a, b) => a * b, 1);
  // about 8 MB of input a batch (2,674 MNIST digits), so a CNN's activations stay a few tens of MB
  const rows = batch ?? Math.max(64, Math.floor(2 ** 21 / f));
  const layers = denseLayers(model);
  for (let start = 0; start < n; start += rows) {
    const size = Math.min(rows, n - start);
    const logits = tf.tidy(() => {
      const rowsOf = x.subarray(start * f, (start + size) * f);
      const dense = layers && denseLogits(layers, tf.tensor2d(rowsOf, [size, f]));
      return dense ?? (model.apply(tf.tensor(rowsOf, [size, ...shape]), { training: false }) as tf.Tensor);
    });
    out.set(logits.dataSync() as Float32Array, start * classes);
    logits.dispose();
  }
  return out;
}

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedAdam } from '../../src/ml/fused-adam.js';
import { adamSimd, type WasmMemory } from '../../src/ml/kernels/wasm-adam.js';

// A two-layer network's weights trained for a few steps: with tf.train.adam (on cpu, and on wasm) and with
// FusedAdam on wasm, which updates the weights in place. The forward pass reads each weight matrix through a
// matrix product, whose wasm kernel caches the packed weights, so a stale cache would show here.
function trainWeights(fused: boolean | 'js', steps: number): Float32Array[] {
  const [w1, b1, w2] = tf.tidy(() => [
    tf.variable(
      tf.tensor2d(
        Float32Array.from({ length: 12 * 7 }, (_, i) => Math.sin(i) / 3),
        [12, 7],
      ),
    ),
    tf.variable(tf.zeros([7])),
    tf.variable(
      tf.tensor2d(
        Float32Array.from({ length: 7 * 3 }, (_, i) => Math.cos(i) / 2),
        [7, 3],
      ),
    ),
  ]) as [tf.Variable, tf.Variable, tf.Variable];
  const vars = [w1, b1, w2];
  const x = tf.tensor2d(
    Float32Array.from({ length: 5 * 12 }, (_, i) => Math.sin(i * 0.7)),
    [5, 12],
  );
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 2, 1, 1, 0], 'int32'), 3));
  const loss = (): tf.Scalar =>
    tf.losses.softmaxCrossEntropy(y, tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2)) as tf.Scalar;
  const adam = fused ? new FusedAdam(0.01, 0.9, 0.999, fused !== 'js') : null;
  const opt = fused ? null : tf.train.adam(0.01);
  for (let s = 0; s < steps; s++) {
    if (adam) {
      const { value, grads } = tf.variableGrads(loss, vars);
      adam.apply(
        vars,
        vars.map((v) => grads[v.name]!),
      );
      tf.dispose([value, ...Object.values(grads)]);
    } else opt!.minimize(loss, false, vars);
  }
  const out = vars.map((v) => v.dataSync() as Float32Array);
  tf.dispose([...vars, x, y]);
  opt?.dispose();
  return out;
}

describe('FusedAdam', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  });

  // b1 (7 values) and w2 (21) are not multiples of the 4 SIMD lanes: their last values take the scalar tail
  it('gives weights bit-identical to tf.train.adam on wasm (SIMD and JavaScript loops), close to cpu', async () => {
    expect(FusedAdam.supported()).toBe(true);
    const wasm = trainWeights(false, 25);
    const before = tf.memory().numTensors;
    const fused = trainWeights(true, 25);
    const js = trainWeights('js', 25);
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
    expect(FusedAdam.supported()).toBe(false);
    const cpu = trainWeights(false, 25);
    await tf.setBackend('wasm');
    for (let i = 0; i < 3; i++) {
      expect(Array.from(fused[i]!)).toEqual(Array.from(wasm[i]!));
      expect(Array.from(js[i]!)).toEqual(Array.from(wasm[i]!));
      fused[i]!.forEach((v, j) => expect(Math.abs(v - cpu[i]![j]!)).toBeLessThan(1e-5));
    }
    // the weights moved: the comparison is not between untouched initial values
    expect(Array.from(fused[0]!)).not.toEqual(Array.from(trainWeights(true, 0)[0]!));
  });

  it("assembles a SIMD module that loads against the wasm backend's memory", () => {
    const memory = (tf.backend() as unknown as { wasm: { asm: { memory: WasmMemory } } }).wasm.asm.memory;
    expect(adamSimd(memory)).toBeTypeOf('function');
  });

  it('leaves a tensor that shares a weight data untouched', () => {
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const copy = tf.clone(w);
    new FusedAdam(0.1).apply([w], [tf.tensor1d([1, -1, 1])]);
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(w.dataSync())).not.toEqual([1, 2, 3]);
    tf.dispose([w, copy]);
  });
});

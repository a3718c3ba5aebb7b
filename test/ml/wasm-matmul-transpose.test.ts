import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmMatMulTranspose } from '../../src/ml/kernels/wasm-matmul-transpose.js';

async function on<T>(backend: string, f: () => T): Promise<T> {
  await tf.setBackend(backend);
  return f();
}

function values(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('wasm matmul with transposed operands', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    expect(registerWasmMatMulTranspose()).toEqual(['BatchMatMul', '_FusedMatMul']);
    expect(registerWasmMatMulTranspose()).toEqual([]); // idempotent
  });

  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[2, 7, 5], [2, 3, 7], true, true],
    [[3, 6, 5], [3, 5, 2], false, false],
  ];

  it.each(cases)('matMul %j × %j (tA=%s, tB=%s) agrees with cpu, forward and gradients', async (sa, sb, tA, tB) => {
    const a = Float32Array.from({ length: sa.reduce((x, y) => x * y, 1) }, (_, i) => Math.sin(i + 1));
    const b = Float32Array.from({ length: sb.reduce((x, y) => x * y, 1) }, (_, i) => Math.cos(2 * i + 1));
    const run = () =>
      tf.tidy(() => {
        const ta = tf.tensor(a, sa);
        const tb = tf.tensor(b, sb);
        const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, tA, tB), tf.matMul(x, y, tA, tB)));
        const [ga, gb] = tf.grads(f)([ta, tb]);
        return [values(tf.matMul(ta, tb, tA, tB)), values(ga!), values(gb!)];
      });
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    for (let i = 0; i < 3; i++) expect(maxDiff(cpu[i]!, wasm[i]!)).toBeLessThan(1e-4);
  });

  it('fused matMul with bias and relu agrees with cpu, and leaks no tensors', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor(
          Float32Array.from({ length: 12 }, (_, i) => i / 7 - 0.8),
          [4, 3],
        );
        const w = tf.tensor(
          Float32Array.from({ length: 6 }, (_, i) => 0.5 - i / 5),
          [2, 3],
        );
        const bias = tf.tensor1d([0.1, -0.2]);
        const f = (xx: tf.Tensor, ww: tf.Tensor) =>
          tf.sum(tf.fused.matMul({ a: xx, b: ww, transposeB: true, bias, activation: 'relu' }));
        const [gx, gw] = tf.grads(f)([x, w]);
        return [
          values(tf.fused.matMul({ a: x, b: w, transposeB: true, bias, activation: 'relu' })),
          values(gx!),
          values(gw!),
        ];
      });
    const cpu = await on('cpu', run);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const wasm = run();
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 3; i++) expect(maxDiff(cpu[i]!, wasm[i]!)).toBeLessThan(1e-5);
  });
});

/**
 * Two kernels for the wasm backend that the written-out dense step (dense-step.ts) calls instead of
 * BatchMatMul, _FusedMatMul, Add, Relu, Step, Multiply and Sum, with the same float32 results bit for bit:
 *   MiaDense {a, b, bias?} {transposeA, transposeB, biasFirst, relu}: a·b (either operand transposed) by
 *     the SIMD product of wasm-gemm.ts, which reads the weights where they lie (XNNPACK repacks them for
 *     each new tensor id, so on every step under the fused Adam) and skips the zeros of a sparse input.
 *     With a bias: biasFirst, the sum starts from it (as _FusedMatMul's does); else it is added to the
 *     product (as tf.add(tf.matMul(a, b), bias)). relu: then max(·, 0) (as _FusedMatMul's relu, or Relu).
 *     A 0 of `a` is skipped, which changes no bit while b is finite (a NaN or infinite weight would give NaN
 *     through XNNPACK and not here; training stops as diverged long before).
 *   MiaReluGrad {dy, y} → [dz, db]: dz = dy · step(y) (y a relu's output: y > 0 exactly where its input
 *     was), db = Σ over rows of dz, summed in row order from 0 as the backend's Sum does.
 * With them, MiaSoftmaxXent (wasm-softmax-xent.ts): the loss of the dense step and its gradient in one kernel.
 * Registered only where WebAssembly SIMD is available; `denseKernelsReady()` says whether they are.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmMemory } from './wasm-adam.js';
import { gemmSimd, type Heap, WasmGemm } from './wasm-gemm.js';
import { softmaxXentConfig } from './wasm-softmax-xent.js';

export const MIA_DENSE = 'MiaDense';
export const MIA_RELU_GRAD = 'MiaReluGrad';

export interface DenseAttrs {
  transposeA: boolean;
  transposeB: boolean;
  biasFirst: boolean;
  relu: boolean;
}

interface WasmBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: object): boolean;
  wasm: Heap & { HEAPF32: Float32Array; asm: { memory: WasmMemory } };
}

const gemms = new WeakMap<WasmMemory, WasmGemm>();
const ptr = (backend: WasmBackend, t: TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;

function transposed(backend: WasmBackend, t: TensorInfo): TensorInfo {
  const transpose = tf.getKernel('Transpose', 'wasm')!;
  return transpose.kernelFunc({
    inputs: { x: t },
    backend: backend as unknown as tf.KernelBackend,
    attrs: { perm: [1, 0] },
  }) as TensorInfo;
}

function hasNegativeZero(heap: Float32Array, from: number, n: number): boolean {
  for (let j = from; j < from + n; j++) if (heap[j] === 0 && Object.is(heap[j], -0)) return true;
  return false;
}

const dense: KernelFunc = ({ inputs, backend: be, attrs }) => {
  const backend = be as unknown as WasmBackend;
  const { a, b, bias } = inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo };
  const { transposeA, transposeB, biasFirst, relu } = attrs as unknown as DenseAttrs;
  const [m, k] = transposeA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const bk = transposeB ? transposed(backend, b) : b; // k×n
  const n = bk.shape[1]!;
  const out = backend.makeOutput([m, n], 'float32');
  const g = gemms.get(backend.wasm.asm.memory)!;
  const [pa, pb, pc] = [ptr(backend, a), ptr(backend, bk), ptr(backend, out)];
  const biasAt = bias ? ptr(backend, bias) : null;
  // a sum from a bias of −0 stays −0 only while its terms are skipped: keep them then (a sum from +0, or from
  // any other value, never becomes −0, so its ±0 terms change nothing)
  const skip = !(biasFirst && biasAt !== null && hasNegativeZero(backend.wasm.HEAPF32, biasAt / 4, n));
  const strides: [number, number, number] = transposeA ? [pa, 4, 4 * m] : [pa, 4 * k, 4];
  const post = bias && !biasFirst ? biasAt : null;
  g.product(strides, [pb, 4 * n], [pc, 4 * n], [m, n, k], { init: biasFirst ? biasAt : null, skip, post, relu });
  if (bk !== b) backend.disposeData(bk.dataId);
  return out;
};

const reluGrad: KernelFunc = ({ inputs, backend: be }) => {
  const backend = be as unknown as WasmBackend;
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
  const [m, n] = [dy.shape[0]!, dy.shape[1]!];
  const dz = backend.makeOutput([m, n], 'float32');
  const db = backend.makeOutput([n], 'float32');
  const [pdy, py, pdz, pdb] = [dy, y, dz, db].map((t) => ptr(backend, t)) as [number, number, number, number];
  gemms.get(backend.wasm.asm.memory)!.reluGrad(pdy, py, pdz, pdb, [m, n]);
  return [dz, db];
};

let ready = false;

/** Registers both kernels for the wasm backend (once; after it is set up). Returns whether they are registered. */
export function registerWasmDenseKernels(): boolean {
  if (ready) return true;
  const backend = tf.findBackend('wasm') as unknown as WasmBackend | null;
  if (!backend) return false;
  const g = gemmSimd(backend.wasm.asm.memory);
  if (!g) return false;
  gemms.set(backend.wasm.asm.memory, new WasmGemm(g, backend.wasm));
  const configs: KernelConfig[] = [
    { kernelName: MIA_DENSE, backendName: 'wasm', kernelFunc: dense },
    { kernelName: MIA_RELU_GRAD, backendName: 'wasm', kernelFunc: reluGrad },
    softmaxXentConfig,
  ];
  for (const c of configs) if (!tf.getKernel(c.kernelName, 'wasm')) tf.registerKernel(c);
  ready = true;
  return true;
}

/** Whether the active backend is wasm with these kernels registered. */
export function denseKernelsReady(): boolean {
  return ready && tf.getBackend() === 'wasm';
}

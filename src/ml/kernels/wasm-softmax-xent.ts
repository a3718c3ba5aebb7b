/**
 * Softmax cross-entropy of a batch of logits (mean over the batch) and its gradient as one wasm-backend kernel,
 * for the written-out dense step (dense-step.ts): the 17 small kernels of its loss (logSumExp's Max, Sub, Exp,
 * Sum, Log, Add and Reshapes; Multiply, Neg, two Sums and RealDiv for the loss; RealDiv, Exp, Sub and Multiply
 * for the gradient) and the output layer's bias gradient (a Sum over rows) each paid the engine's per-operation
 * overhead on a 64×10 matrix, more than their arithmetic.
 *   MiaSoftmaxXent {logits [B, C], labels [B, C]} {smoothing} → [loss [], dLogits [B, C], dBias [C]]
 * performs the same float32 operations in the same order, so every output is bit-identical to those kernels':
 *   labels ← labels·(1 − ε) + ε/C (ε > 0);  m = max of each row;  lse = m + log(Σⱼ exp(x − m));  r = x − lse;
 *   loss = (Σᵢ Σⱼ −(r·labels)) / B;  dLogits = (1/B)·(exp(r) − labels);  dBias = Σᵢ dLogits.
 * Sums run in index order from +0, as the backend's Sum does. Exp and Log are the backend's own kernels, called
 * directly (their float32 results are the C library's, which JavaScript's Math.exp does not reproduce bit for
 * bit); the rest is plain JavaScript over the heap, each operation rounded to float32 with Math.fround (a double
 * result of float32 operands rounded to float32 equals the float32 operation for + − × ÷).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

export const MIA_SOFTMAX_XENT = 'MiaSoftmaxXent';

interface WasmBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: object): boolean;
  wasm: { HEAPF32: Float32Array };
}

const f = Math.fround;

/** The backend's unary kernel `name` (Exp, Log) on t: a new tensor the caller disposes. */
function unary(backend: WasmBackend, name: string, t: TensorInfo): TensorInfo {
  const k = tf.getKernel(name, 'wasm')!;
  return k.kernelFunc({ inputs: { x: t }, backend: backend as unknown as tf.KernelBackend, attrs: {} }) as TensorInfo;
}

/** The float32 index of a tensor's first value in the heap. */
const at = (backend: WasmBackend, t: TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset / 4;

/** The labels, smoothed as tf.losses.softmaxCrossEntropy does when ε > 0: y·(1 − ε) + ε/C in float32. */
function labelsOf(heap: Float32Array, y: number, size: number, c: number, smoothing: number): Float32Array {
  const labels = heap.slice(y, y + size);
  if (smoothing <= 0) return labels;
  const s = f(smoothing);
  const [keep, spread] = [f(1 - s), f(s / c)];
  for (let i = 0; i < size; i++) labels[i] = f(f(labels[i]! * keep) + spread);
  return labels;
}

/** a[i, j] = x[i, j] − max of row i (heap indices); returns the row maxima. */
function minusRowMax(heap: Float32Array, x: number, a: number, [b, c]: [number, number]): Float32Array {
  const max = new Float32Array(b);
  for (let i = 0; i < b; i++) {
    let m = heap[x + i * c]!;
    for (let j = 1; j < c; j++) if (heap[x + i * c + j]! > m) m = heap[x + i * c + j]!;
    max[i] = m;
    for (let j = 0; j < c; j++) heap[a + i * c + j] = f(heap[x + i * c + j]! - m);
  }
  return max;
}

/** s[i] = Σⱼ e[i, j] in order from +0 (heap indices). */
function rowSums(heap: Float32Array, e: number, s: number, [b, c]: [number, number]): void {
  for (let i = 0; i < b; i++) {
    let sum = 0;
    for (let j = 0; j < c; j++) sum = f(sum + heap[e + i * c + j]!);
    heap[s + i] = sum;
  }
}

/** r[i, j] = x[i, j] − (max[i] + logSum[i]); returns the loss (Σᵢ Σⱼ −(r·labels)) / B. */
function logSoftmax(heap: Float32Array, [x, r, logSum]: number[], max: Float32Array, labels: Float32Array, c: number) {
  const b = max.length;
  let total = 0;
  for (let i = 0; i < b; i++) {
    const lse = f(max[i]! + heap[logSum! + i]!);
    let cost = 0;
    for (let j = 0; j < c; j++) {
      const v = f(heap[x! + i * c + j]! - lse);
      heap[r! + i * c + j] = v;
      cost = f(cost + -f(v * labels[i * c + j]!));
    }
    total = f(total + cost);
  }
  return f(total / b);
}

/** d = (1/B)·(p − labels) and db[j] = Σᵢ d[i, j] in order from +0 (heap indices). */
function gradient(heap: Float32Array, [p, d, db]: number[], labels: Float32Array, [b, c]: [number, number]): void {
  const perRecord = f(1 / b);
  for (let j = 0; j < c; j++) heap[db! + j] = 0;
  for (let i = 0; i < b; i++)
    for (let j = 0; j < c; j++) {
      const v = f(perRecord * f(heap[p! + i * c + j]! - labels[i * c + j]!));
      heap[d! + i * c + j] = v;
      heap[db! + j] = f(heap[db! + j]! + v);
    }
}

const softmaxXent: KernelFunc = ({ inputs, backend: be, attrs }) => {
  const backend = be as unknown as WasmBackend;
  const { logits, labels: y } = inputs as { logits: TensorInfo; labels: TensorInfo };
  const shape = [logits.shape[0]!, logits.shape[1]!] as [number, number];
  const size = shape[0] * shape[1];
  const [loss, d, db, a, sums] = [[], shape, [shape[1]], shape, [shape[0]]].map((s) =>
    backend.makeOutput(s, 'float32'),
  );
  const heap = () => backend.wasm.HEAPF32; // a new view whenever an allocation grew the memory
  const labels = labelsOf(heap(), at(backend, y), size, shape[1], (attrs as { smoothing: number }).smoothing);
  const max = minusRowMax(heap(), at(backend, logits), at(backend, a!), shape);
  const e = unary(backend, 'Exp', a!);
  rowSums(heap(), at(backend, e), at(backend, sums!), shape);
  const logSum = unary(backend, 'Log', sums!);
  const value = logSoftmax(heap(), [at(backend, logits), at(backend, a!), at(backend, logSum)], max, labels, shape[1]);
  heap()[at(backend, loss!)] = value;
  const p = unary(backend, 'Exp', a!);
  gradient(heap(), [at(backend, p), at(backend, d!), at(backend, db!)], labels, shape);
  for (const t of [a!, e, sums!, logSum, p]) backend.disposeData(t.dataId);
  return [loss!, d!, db!];
};

export const softmaxXentConfig = { kernelName: MIA_SOFTMAX_XENT, backendName: 'wasm', kernelFunc: softmaxXent };

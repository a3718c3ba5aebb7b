/**
 * Adam as one pass over all the weights, for the wasm backend: instead of the dozen tfjs kernels per
 * variable that tf.train.adam runs each step (≈50 for an MLP of two layers, each paying the engine's
 * per-operation overhead), one loop reads each gradient and writes each weight in place in the wasm
 * heap, the moments of all weights in one heap buffer. The loop is WebAssembly SIMD (kernels/wasm-adam.ts)
 * with a JavaScript loop for the last few elements of each variable (and where SIMD is missing), which
 * rounds each operation with Math.fround (a double result of float32 operands rounded to float32 equals
 * the float32 operation for + − × ÷ √). Both perform tf.train.adam's float32 operations in its order, so
 * the weights are bit-identical to it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { adamSimd, type AdamSimd, type WasmMemory } from './kernels/wasm-adam.js';

interface HeapBackend {
  refCount(dataId: object): number;
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
  wasm: {
    HEAPF32: Float32Array;
    asm: { memory: WasmMemory };
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    tfjs: { disposeData(id: number): void; registerTensor(id: number, size: number, offset: number): void };
  };
}

/**
 * Gives a tensor whose values were changed in place a new id in the wasm module: its kernels cache
 * work keyed by tensor id (XNNPACK packs a matrix product's weights once per id), and retiring the
 * old id drops that cache, as disposing the tensor would.
 */
function renew(backend: HeapBackend, t: tf.Tensor): void {
  const d = backend.dataIdMap.get(t.dataId);
  backend.wasm.tfjs.disposeData(d.id);
  d.id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(d.id, t.size, d.memoryOffset);
}

const f = Math.fround;

/** The float32 constants of an update: beta1, beta2, 1 − beta1, 1 − beta2, epsilon, −rate. */
type Constants = Float64Array;

/**
 * The update of elements [from, to) in JavaScript, on the heap (float32 indices w, g, m, v of the arrays'
 * starts). A plain loop over locals (no closure), so V8 compiles it to straight float code.
 */
function update(
  heap: Float32Array,
  [w, g, m, v]: [number, number, number, number],
  from: number,
  to: number,
  om1: number,
  om2: number,
  k: Constants,
): void {
  const b1 = k[0]!,
    b2 = k[1]!,
    c1 = k[2]!,
    c2 = k[3]!,
    eps = k[4]!,
    negRate = k[5]!;
  for (let i = from; i < to; i++) {
    const gi = heap[g + i]!;
    const mi = f(f(heap[m + i]! * b1) + f(gi * c1));
    const vi = f(f(heap[v + i]! * b2) + f(f(gi * gi) * c2));
    heap[m + i] = mi;
    heap[v + i] = vi;
    const denom = f(f(Math.sqrt(f(vi / om2))) + eps);
    heap[w + i] = f(f(f(f(mi / om1) / denom) * negRate) + heap[w + i]!);
  }
}

const simdByMemory = new WeakMap<WasmMemory, AdamSimd | null>();

export class FusedAdam {
  private readonly b1: number;
  private readonly b2: number;
  private readonly k: Constants;
  private accB1: number;
  private accB2: number;
  /** Byte offset in the heap of the moments (first all m, then all v) and their count. */
  private moments: { ptr: number; total: number } | null = null;
  private readonly backend: HeapBackend;
  private readonly simd: AdamSimd | null;

  /** Whether the active backend keeps tensors in a heap this optimizer can update in place. */
  static supported(): boolean {
    return tf.getBackend() === 'wasm';
  }

  /** `simd: false` uses only the JavaScript loop (for tests). */
  constructor(rate: number, beta1 = 0.9, beta2 = 0.999, simd = true) {
    if (!FusedAdam.supported()) throw new Error('FusedAdam needs the wasm backend.');
    this.backend = tf.backend() as unknown as HeapBackend;
    const memory = this.backend.wasm.asm.memory;
    if (!simdByMemory.has(memory)) simdByMemory.set(memory, adamSimd(memory));
    this.simd = simd ? (simdByMemory.get(memory) ?? null) : null;
    this.b1 = f(beta1);
    this.b2 = f(beta2);
    this.k = Float64Array.of(this.b1, this.b2, f(1 - beta1), f(1 - beta2), f(tf.backend().epsilon()), f(-rate));
    this.accB1 = this.b1;
    this.accB2 = this.b2;
  }

  /** One update of `vars` by `grads` (same order); a variable whose data is shared is first given its own copy. */
  apply(vars: tf.Variable[], grads: (tf.Tensor | undefined)[]): void {
    const backend = this.backend;
    const total = vars.reduce((s, v) => s + v.size, 0);
    if (!this.moments) {
      const ptr = backend.wasm._malloc(8 * total) >>> 0;
      backend.wasm.HEAPF32.fill(0, ptr / 4, ptr / 4 + 2 * total);
      this.moments = { ptr, total };
    }
    if (this.moments.total !== total) throw new Error('FusedAdam: the variables changed between steps.');
    const om1 = f(1 - this.accB1);
    const om2 = f(1 - this.accB2);
    const k = this.k;
    let at = 0;
    vars.forEach((v, i) => {
      const gt = grads[i];
      const m = this.moments!.ptr + 4 * at;
      at += v.size;
      if (!gt) return; // no gradient (the loss does not depend on it): left as it is, as tf.train.adam does
      if (backend.refCount(v.dataId) > 1) tf.tidy(() => v.assign(tf.tensor(v.dataSync(), v.shape, 'float32')));
      const ptrs: [number, number, number, number] = [
        backend.dataIdMap.get(v.dataId).memoryOffset,
        backend.dataIdMap.get(gt.dataId).memoryOffset,
        m,
        m + 4 * total,
      ];
      const vector = this.simd ? v.size & ~3 : 0;
      if (vector) this.simd!(...ptrs, 4 * vector, k[0]!, k[1]!, k[2]!, k[3]!, om1, om2, k[4]!, k[5]!);
      update(
        backend.wasm.HEAPF32,
        ptrs.map((p) => p / 4) as [number, number, number, number],
        vector,
        v.size,
        om1,
        om2,
        k,
      );
      renew(backend, v);
    });
    this.accB1 = f(this.accB1 * this.b1);
    this.accB2 = f(this.accB2 * this.b2);
  }

  dispose(): void {
    if (this.moments) this.backend.wasm._free(this.moments.ptr);
    this.moments = null;
  }
}

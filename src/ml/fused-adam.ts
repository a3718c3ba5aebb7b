/**
 * Adam as one pass over all the weights, for the wasm backend: instead of the dozen tfjs kernels per
 * variable that tf.train.adam runs each step (≈50 for an MLP of two layers, each paying the engine's
 * per-operation overhead), one loop reads each gradient and writes each weight in place in the wasm
 * heap, with the moments kept in one host buffer. It performs tf.train.adam's float32 operations in
 * the same order, rounding each with Math.fround (a double result of two float32 operands rounded to
 * float32 equals the float32 operation for + − × ÷ √), so the weights it produces are bit-identical.
 */
import * as tf from '@tensorflow/tfjs-core';

interface HeapBackend {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  refCount(dataId: object): number;
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
  wasm: { tfjs: { disposeData(id: number): void; registerTensor(id: number, size: number, offset: number): void } };
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
 * tf.train.adam's operations for one variable, element by element: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * w ← −rate · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε) + w. Moments interleaved in `m` from `at`.
 * A plain loop over locals (no closure), so V8 compiles it to straight float code.
 */
function update(w: Float32Array, g: Float32Array, m: Float32Array, at: number, om1: number, om2: number, k: Constants) {
  const b1 = k[0]!,
    b2 = k[1]!,
    c1 = k[2]!,
    c2 = k[3]!,
    eps = k[4]!,
    negRate = k[5]!;
  const n = w.length;
  for (let i = 0, j = at; i < n; i++, j += 2) {
    const gi = g[i]!;
    const mi = f(f(m[j]! * b1) + f(gi * c1));
    const vi = f(f(m[j + 1]! * b2) + f(f(gi * gi) * c2));
    m[j] = mi;
    m[j + 1] = vi;
    const denom = f(f(Math.sqrt(f(vi / om2))) + eps);
    w[i] = f(f(f(f(mi / om1) / denom) * negRate) + w[i]!);
  }
}

export class FusedAdam {
  private readonly b1: number;
  private readonly b2: number;
  private readonly k: Constants;
  private accB1: number;
  private accB2: number;
  private moments: Float32Array | null = null;

  /** Whether the active backend keeps tensors in a heap this optimizer can update in place. */
  static supported(): boolean {
    return tf.getBackend() === 'wasm';
  }

  constructor(rate: number, beta1 = 0.9, beta2 = 0.999) {
    this.b1 = f(beta1);
    this.b2 = f(beta2);
    this.k = Float64Array.of(this.b1, this.b2, f(1 - beta1), f(1 - beta2), f(tf.backend().epsilon()), f(-rate));
    this.accB1 = this.b1;
    this.accB2 = this.b2;
  }

  /** One update of `vars` by `grads` (same order); a variable whose data is shared is reassigned, not overwritten. */
  apply(vars: tf.Variable[], grads: (tf.Tensor | undefined)[]): void {
    const backend = tf.backend() as unknown as HeapBackend;
    const total = vars.reduce((s, v) => s + v.size, 0);
    this.moments ??= new Float32Array(2 * total);
    if (this.moments.length !== 2 * total) throw new Error('FusedAdam: the variables changed between steps.');
    const om1 = f(1 - this.accB1);
    const om2 = f(1 - this.accB2);
    const m = this.moments;
    let at = 0;
    vars.forEach((v, k) => {
      const gt = grads[k];
      if (!gt) {
        at += v.size; // no gradient (the loss does not depend on it): left as it is, as tf.train.adam does
        return;
      }
      const g = backend.typedArrayFromHeap(gt);
      const shared = backend.refCount(v.dataId) > 1;
      const w = shared ? (v.dataSync() as Float32Array).slice() : backend.typedArrayFromHeap(v);
      update(w, g, m, 2 * at, om1, om2, this.k);
      at += w.length;
      if (shared) tf.tidy(() => v.assign(tf.tensor(w, v.shape, 'float32')));
      else renew(backend, v);
    });
    this.accB1 = f(this.accB1 * this.b1);
    this.accB2 = f(this.accB2 * this.b2);
  }
}

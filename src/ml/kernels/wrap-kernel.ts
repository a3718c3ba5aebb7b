/**
 * A wasm kernel replaced by one that calls it: the registered kernel's function is handed to `make`, and what
 * `make` returns is registered under the same name (without the original's setupFunc, which ran when the
 * backend started). `make` returns null to leave the kernel as it is (already wrapped, or not a case for it).
 * Returns whether the kernel was replaced.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';

export function wrapWasmKernel(name: string, make: (original: KernelFunc) => KernelFunc | null): boolean {
  // getKernel returns undefined (typed as KernelConfig) when none is registered.
  const original = tf.getKernel(name, 'wasm') as KernelConfig | undefined;
  const kernelFunc = original && make(original.kernelFunc);
  if (!original || !kernelFunc) return false;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...original, kernelFunc, setupFunc: undefined });
  return true;
}

/**
 * The engine's backend: tfjs-node (native) where installed, else wasm (XNNPACK, SIMD), else the
 * pure-JS cpu backend. `auto` picks the fastest that loads.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerWasmConvKernels } from './kernels/wasm-conv.js';
import { registerWasmDenseKernels } from './kernels/wasm-dense.js';
import { registerWasmGradKernels } from './kernels/wasm-grad-kernels.js';
import { registerWasmMatMulTranspose } from './kernels/wasm-matmul-transpose.js';
import { registerWasmSamePadding } from './kernels/wasm-same-padding.js';

import { BackendUnavailable, TFJS_NODE_MISSING, type BackendChoice, type BackendName } from './backend-choice.js';

let active: BackendName | null = null;

async function tryNode(): Promise<boolean> {
  try {
    const spec = '@tensorflow/tfjs-node';
    await import(spec);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    const ok = await tf.setBackend('wasm');
    if (ok) {
      registerWasmSamePadding(); // first: the kernels registered after it may call the convolutions
      registerWasmGradKernels();
      registerWasmMatMulTranspose();
      registerWasmDenseKernels();
      registerWasmConvKernels(); // after the grad kernels: it falls back to them
    }
    return ok;
  } catch {
    return false;
  }
}

/** Sets up the backend once per thread and returns its name. */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendName> {
  if (active) {
    if (choice === 'auto' || choice === active) return active;
    throw new Error(`The backend is already ${active}; it cannot change to ${choice} in the same process.`);
  }
  tf.env().set('PROD', true);
  let name: BackendName | null = null;
  if (choice === 'tfjs-node') {
    if (!(await tryNode())) throw new BackendUnavailable(TFJS_NODE_MISSING);
    name = 'tfjs-node';
  } else if (choice === 'wasm') {
    if (!(await tryWasm())) throw new BackendUnavailable('The wasm backend failed to load. Use --backend cpu.');
    name = 'wasm';
  } else if (choice === 'cpu') {
    await tf.setBackend('cpu');
    name = 'cpu';
  } else {
    if (await tryNode()) name = 'tfjs-node';
    else if (await tryWasm()) name = 'wasm';
    else {
      await tf.setBackend('cpu');
      name = 'cpu';
    }
  }
  await tf.ready();
  active = name;
  return name;
}

/**
 * Backend names and the choice of one, without loading TensorFlow.js: the CLI's main thread plans and
 * caches, the workers train, so only the workers load tfjs (it takes a few hundred milliseconds).
 */
import { createRequire } from 'node:module';

export type BackendChoice = 'auto' | 'tfjs-node' | 'wasm' | 'cpu';
export type BackendName = 'tfjs-node' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tfjs-node', 'wasm', 'cpu'];

export class BackendUnavailable extends Error {}

export const TFJS_NODE_MISSING =
  'The tfjs-node backend is not installed here (its install needs internet to download libtensorflow). Use --backend wasm, or install @tensorflow/tfjs-node.';

/** Whether the optional native backend is installed. */
export function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

/**
 * The backend a choice names: `auto` is tfjs-node where it is installed, else wasm (which ships with
 * mia and loads on every Node it supports). Throws BackendUnavailable for tfjs-node where it is not
 * installed. The workers load the backend named here, so the name recorded is the one used.
 */
export function resolveBackend(choice: BackendChoice): BackendName {
  if (choice === 'auto') return tfjsNodeInstalled() ? 'tfjs-node' : 'wasm';
  if (choice === 'tfjs-node' && !tfjsNodeInstalled()) throw new BackendUnavailable(TFJS_NODE_MISSING);
  return choice;
}

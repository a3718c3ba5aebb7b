/**
 * An optimizer kind as a descriptor: its name and settings (a schema, read by the checker's generic
 * reader, bounded by its rules, swept by name, printed in the README), and how it is made in tfjs.
 * A new optimizer is its file plus one line in ./index.ts.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { OptimizerDef } from '../../kinds/program.js';
import type { Choice, Schema } from '../../kinds/schema.js';

/** An in-place update of all weights by their gradients (same order), faster than the tfjs optimizer where it applies. */
export interface FusedUpdate {
  apply(vars: tf.Variable[], grads: tf.Tensor[]): void;
  dispose(): void;
}

export interface OptimizerKind extends Choice {
  /** Every optimizer has a learning `rate` (the diverged-loss message suggests a lower one). */
  settings: Schema & { rate: Schema[string] };
  /** The tfjs optimizer of these settings. */
  make(o: OptimizerDef): tf.Optimizer;
  /** A faster update giving the same weights, where this backend has one (null: use `make`). */
  fused?(o: OptimizerDef): FusedUpdate | null;
}

export const defineOptimizer = <K extends OptimizerKind>(k: K): K => k;

/** A number setting of an optimizer (they are all numbers). */
export const num = (o: OptimizerDef, key: string): number => Number(o[key]);

/** The learning rate's schema, with the optimizer's default. */
export const rate = (d: number): Schema[string] => ({
  type: 'number',
  bound: 'positive',
  default: d,
  label: 'The learning rate',
  doc: 'The learning rate.',
});

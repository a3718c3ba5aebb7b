/** The optimizer kinds: one descriptor each, in its own file, and one line here (the first is the default). */
import { adam } from './adam.js';
import type { OptimizerKind } from './optimizer.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';

export const OPTIMIZER_KINDS: readonly OptimizerKind[] = [adam, sgd, rmsprop];

export type { FusedUpdate, OptimizerKind } from './optimizer.js';

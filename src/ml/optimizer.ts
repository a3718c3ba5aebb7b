/** The optimizer a training definition names, from its descriptor (src/ml/optimizers/): trainModel, DP-SGD and adversarial regularisation share it. */
import type * as tf from '@tensorflow/tfjs-core';
import type { OptimizerDef, TrainDef } from '../kinds/program.js';
import { type FusedUpdate, OPTIMIZER_KINDS, type OptimizerKind } from './optimizers/index.js';

function kindOf(o: OptimizerDef): OptimizerKind {
  const k = OPTIMIZER_KINDS.find((x) => x.kind === o.kind);
  if (!k) throw new Error(`The optimizer "${o.kind}" is not registered.`);
  return k;
}

export function optimizerFor(def: TrainDef): tf.Optimizer {
  return kindOf(def.optimizer).make(def.optimizer);
}

/** The optimizer's fused in-place update where it has one on this backend, else null. */
export function fusedUpdateFor(def: TrainDef): FusedUpdate | null {
  return kindOf(def.optimizer).fused?.(def.optimizer) ?? null;
}

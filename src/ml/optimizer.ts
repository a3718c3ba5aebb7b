/** The optimizer a training definition names (the same choice as trainModel makes). */
import * as tf from '@tensorflow/tfjs-core';
import { match } from 'ts-pattern';
import type { TrainDef } from '../kinds/program.js';

export function optimizerFor(def: TrainDef): tf.Optimizer {
  return match(def.optimizer)
    .with({ kind: 'adam' }, (o) => tf.train.adam(o.rate))
    .with({ kind: 'sgd' }, (o) => (o.momentum > 0 ? tf.train.momentum(o.rate, o.momentum) : tf.train.sgd(o.rate)))
    .with({ kind: 'rmsprop' }, (o) => tf.train.rmsprop(o.rate))
    .exhaustive();
}

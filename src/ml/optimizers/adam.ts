import * as tf from '@tensorflow/tfjs-core';
import { FusedAdam } from '../fused-adam.js';
import { defineOptimizer, num, rate } from './optimizer.js';

/** Adam (Kingma & Ba 2015), β1 0.9, β2 0.999; on wasm one fused in-place update (bit-identical to tf.train.adam). */
export const adam = defineOptimizer({
  kind: 'adam',
  summary: 'Adam (β1 0.9, β2 0.999).',
  positional: ['rate'],
  settings: { rate: rate(0.001) },
  make: (o) => tf.train.adam(num(o, 'rate')),
  fused: (o) => (FusedAdam.supported() ? new FusedAdam(num(o, 'rate')) : null),
});

import * as tf from '@tensorflow/tfjs-core';
import { defineOptimizer, num, rate } from './optimizer.js';

/** RMSProp (Hinton), tfjs's defaults (decay 0.9). */
export const rmsprop = defineOptimizer({
  kind: 'rmsprop',
  summary: 'RMSProp (decay 0.9).',
  positional: ['rate'],
  settings: { rate: rate(0.001) },
  make: (o) => tf.train.rmsprop(num(o, 'rate')),
});

import * as tf from '@tensorflow/tfjs-core';
import { defineOptimizer, num, rate } from './optimizer.js';

/** Stochastic gradient descent, with (heavy-ball) momentum when it is above 0. */
export const sgd = defineOptimizer({
  kind: 'sgd',
  summary: 'Stochastic gradient descent, with momentum above 0.',
  positional: ['rate', 'momentum'],
  settings: {
    rate: rate(0.01),
    momentum: { type: 'number', bound: 'fraction', default: 0, label: 'The momentum', doc: 'The momentum (0: none).' },
  },
  make: (o) =>
    num(o, 'momentum') > 0 ? tf.train.momentum(num(o, 'rate'), num(o, 'momentum')) : tf.train.sgd(num(o, 'rate')),
});

/**
 * Gradient clipping by global norm (PyTorch's clip_grad_norm_, Keras's global_clipnorm): before each
 * update the gradients g of all weights are scaled by min(1, c / (‖g‖ + 1e-6)), ‖g‖ the L2 norm of all
 * of them together, so no step is longer than the learning rate allows for a gradient of norm c. Not the
 * per-record clipping of DP-SGD (`dp_sgd { clip }`), which bounds each record's influence.
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineTrainSetting } from './setting.js';

export const gradClip = defineTrainSetting({
  key: 'grad_clip',
  setting: {
    type: 'number',
    bound: 'positive',
    default: null,
    doc: "Clips each step's gradients to this global L2 norm (none when absent).",
  },
  optional: true,
  gradients: (grads, c) =>
    tf.tidy(() => {
      const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
      const scale = tf.minimum(1, tf.div(Number(c), tf.add(norm, 1e-6)));
      return grads.map((g) => tf.mul(g, scale));
    }),
});

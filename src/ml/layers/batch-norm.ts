import * as tfl from '@tensorflow/tfjs-layers';
import { defineLayer } from './layer.js';

export const batchNorm = defineLayer({
  name: 'batch_norm',
  summary: 'Batch normalization.',
  positional: [],
  settings: {},
  params: (_l, input) => 4 * (input[input.length - 1] ?? 1),
  build: (_l, ctx) => [tfl.layers.batchNormalization(ctx.input())],
});

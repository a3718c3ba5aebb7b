import * as tfl from '@tensorflow/tfjs-layers';
import { defineLayer, num } from './layer.js';
import { POOL_SETTINGS, poolShape, poolWindow } from './pool.js';

export const maxPool = defineLayer({
  name: 'max_pool',
  summary: 'Max pooling over images.',
  positional: ['size', 'stride'],
  settings: POOL_SETTINGS,
  images: true,
  window: poolWindow,
  shape: poolShape,
  build: (l, ctx) => [tfl.layers.maxPooling2d({ poolSize: num(l, 'size'), strides: num(l, 'stride'), ...ctx.input() })],
});

import * as tfl from '@tensorflow/tfjs-layers';
import { defineLayer, num } from './layer.js';
import { POOL_SETTINGS, poolShape, poolWindow } from './pool.js';

export const avgPool = defineLayer({
  name: 'avg_pool',
  summary: 'Average pooling over images.',
  positional: ['size', 'stride'],
  settings: POOL_SETTINGS,
  images: true,
  window: poolWindow,
  shape: poolShape,
  build: (l, ctx) => [
    tfl.layers.averagePooling2d({ poolSize: num(l, 'size'), strides: num(l, 'stride'), ...ctx.input() }),
  ],
});

import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerDef } from '../../kinds/program.js';
import { LIMITS } from '../../kinds/size-limits.js';
import { activationSetting, defineLayer, num, outSize, str, type Window } from './layer.js';

const window = (l: LayerDef): Window => ({
  size: num(l, 'kernel'),
  stride: num(l, 'stride'),
  padding: str(l, 'padding') as Window['padding'],
});

/** A 2-D convolution over images. */
export const conv2d = defineLayer({
  name: 'conv2d',
  summary: 'A 2-D convolution over images.',
  positional: ['filters', 'kernel'],
  settings: {
    filters: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      limit: { max: LIMITS.units, label: 'filters' },
      doc: 'The number of filters.',
    },
    kernel: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      limit: { max: LIMITS.kernel, label: 'kernel' },
      doc: 'The kernel size (square).',
    },
    stride: { type: 'number', integer: true, default: 1, bound: 'atLeast1', doc: 'The stride.' },
    padding: { type: 'enum', options: ['same', 'valid'], default: 'valid', doc: 'The padding.' },
    activation: activationSetting,
  },
  images: true,
  weighted: true,
  window,
  shape: (l, [h = 1, w = 1]) => [outSize(h, window(l)), outSize(w, window(l)), num(l, 'filters')],
  params: (l, input) => num(l, 'kernel') * num(l, 'kernel') * (input[2] ?? 1) * num(l, 'filters') + num(l, 'filters'),
  build: (l, ctx) => [
    tfl.layers.conv2d({
      filters: num(l, 'filters'),
      kernelSize: num(l, 'kernel'),
      strides: num(l, 'stride'),
      padding: str(l, 'padding') as Window['padding'],
      activation: str(l, 'activation') as 'linear',
      kernelInitializer: ctx.kernelInit(),
      biasInitializer: 'zeros',
      ...ctx.input(),
    }),
  ],
});

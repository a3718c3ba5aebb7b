import * as tfl from '@tensorflow/tfjs-layers';
import { LIMITS } from '../../kinds/size-limits.js';
import { activationSetting, defineLayer, num, recordSize, str } from './layer.js';

/** A fully connected layer; on images it flattens first. A final softmax is left to the loss (linear). */
export const dense = defineLayer({
  name: 'dense',
  summary: 'A fully connected layer (flattens images first).',
  positional: ['units', 'activation'],
  settings: {
    units: {
      type: 'number',
      integer: true,
      word: 'classes',
      label: 'The number of units',
      missing: 'dense needs a number of units: dense(128, relu).',
      bound: 'atLeast1',
      boundLabel: 'The number of units of dense',
      limit: { max: LIMITS.units, label: 'width' },
      doc: 'The number of units, or classes.',
    },
    activation: activationSetting,
  },
  shape: (l, _input, classes) => [l.units === 'classes' ? classes : num(l, 'units')],
  params: (l, input, classes) => {
    const units = l.units === 'classes' ? classes : num(l, 'units');
    return recordSize(input) * units + units;
  },
  rankAfter: 1,
  weighted: true,
  build: (l, ctx) => {
    const flatten = ctx.rank > 1 ? [tfl.layers.flatten(ctx.input())] : [];
    const activation = ctx.lastOfKind && l.activation === 'softmax' ? 'linear' : str(l, 'activation');
    const units = l.units === 'classes' ? ctx.classes : num(l, 'units');
    return [
      ...flatten,
      tfl.layers.dense({
        units,
        activation: activation as 'linear',
        kernelInitializer: ctx.kernelInit(),
        biasInitializer: 'zeros',
        ...ctx.input(),
      }),
    ];
  },
});

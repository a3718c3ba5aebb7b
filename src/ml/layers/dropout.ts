import * as tfl from '@tensorflow/tfjs-layers';
import { defineLayer, num } from './layer.js';

/** Drops a share of its inputs in training (seeded). */
export const dropout = defineLayer({
  name: 'dropout',
  summary: 'Drops a share of its inputs in training.',
  positional: ['rate'],
  settings: {
    rate: {
      type: 'number',
      percent: true,
      bound: 'fraction',
      boundLabel: 'The dropout rate',
      doc: 'The share of inputs dropped.',
    },
  },
  build: (l, ctx) => [tfl.layers.dropout({ rate: num(l, 'rate'), seed: ctx.nextSeed(), ...ctx.input() })],
});

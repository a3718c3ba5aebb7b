import * as tfl from '@tensorflow/tfjs-layers';
import type { Activation } from '../../kinds/program.js';
import { ACTIVATIONS, defineLayer, type LayerKind, str } from './layer.js';

/** An activation on its own; a softmax as the model's last layer is left to the loss (linear). */
export const activation = defineLayer({
  name: 'activation',
  summary: 'An activation function on its own; a bare relu, softmax, sigmoid, tanh or linear is the same.',
  positional: ['activation'],
  settings: {
    activation: {
      type: 'enum',
      options: ACTIVATIONS,
      missing: 'activation needs an activation function: activation(relu).',
      doc: 'The activation function.',
    },
  },
  build: (l, ctx) => [
    tfl.layers.activation({
      activation: (ctx.last && l.activation === 'softmax' ? 'linear' : str(l, 'activation')) as 'linear',
      ...ctx.input(),
    }),
  ],
});

/** A bare activation name as a layer: `relu` is `activation(relu)`. */
const named = (a: Activation): LayerKind => ({
  ...activation,
  name: a,
  summary: `activation(${a})`,
  positional: [],
  settings: {},
  alias: { kind: 'activation', activation: a },
});

export const NAMED_ACTIVATIONS: readonly LayerKind[] = ACTIVATIONS.map(named);

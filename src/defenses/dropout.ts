/**
 * Dropout as a defense: a dropout layer of the given rate after each hidden dense or conv2d layer (every
 * one but the last layer of its kind that the model ends on, the classifier), before whatever follows.
 */
import type { LayerDef } from '../kinds/program.js';
import { layerKind } from '../ml/layers/index.js';
import { defineDefense } from './defense.js';

/** The layers with dropout after each hidden dense/conv2d layer (not after the output layer). */
export function withDropout(layers: LayerDef[], rate: number): LayerDef[] {
  const weighted = (l: LayerDef): boolean => layerKind(l.kind)?.weighted === true;
  let last = layers.length - 1;
  while (last >= 0 && !weighted(layers[last]!)) last--;
  return layers.flatMap((l, i) => (weighted(l) && i !== last ? [l, { kind: 'dropout', rate }] : [l]));
}

export const dropout = defineDefense({
  kind: 'dropout',
  summary: 'Dropout in training, after each hidden dense or conv2d layer.',
  stage: 'training',
  positional: ['rate'],
  settings: { rate: { type: 'number', percent: true, bound: 'fraction', doc: 'The share of units dropped.' } },
  apply: (s) => ({ layers: (l) => withDropout(l, s.rate) }),
});

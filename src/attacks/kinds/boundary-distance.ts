/** Label-only boundary distance (Choquette-Choo et al. 2021): how far a record sits from the decision boundary. */
import { boundaryAttack } from '../boundary.js';
import { defineAttack } from '../kind.js';

export const boundaryDistance = defineAttack({
  kind: 'boundary_distance',
  summary: 'Label-only: the distance to the decision boundary along random directions, within a query budget.',
  version: 1,
  settings: {
    radius: {
      type: 'number',
      bound: 'positive',
      default: 4,
      doc: 'The farthest L2 distance probed (in feature units; MNIST pixels are in [0, 1]).',
    },
    directions: { type: 'number', integer: true, bound: 'atLeast1', max: 1000, default: 4, doc: 'Random directions.' },
    steps: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: 1000,
      default: 8,
      doc: 'Radii probed per direction; queries per record: 1 + directions × steps.',
    },
  },
  needsProbabilities: false,
  augmentations: (s) => [{ kind: 'ray', radius: s.radius, directions: s.directions, steps: s.steps }],
  score: (ctx, s) => boundaryAttack(ctx, s),
});

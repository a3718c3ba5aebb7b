/** L2 weight regularisation. */
import { defineDefense } from './defense.js';

export const l2 = defineDefense({
  kind: 'l2',
  summary: 'L2 weight decay added to the training loss.',
  stage: 'training',
  positional: ['lambda'],
  settings: { lambda: { type: 'number', bound: 'nonNegative', doc: 'The weight of the penalty.' } },
});

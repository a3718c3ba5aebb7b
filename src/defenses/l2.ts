/** L2 weight regularisation: sets the TrainDef's l2 (the penalty λ·Σw² over the kernels, src/ml/train.ts). */
import { defineDefense } from './defense.js';

export const l2 = defineDefense({
  kind: 'l2',
  summary: 'L2 weight decay added to the training loss.',
  stage: 'training',
  positional: ['lambda'],
  settings: { lambda: { type: 'number', bound: 'nonNegative', doc: 'The weight of the penalty.' } },
  apply: (s) => ({ train: (t) => ({ ...t, l2: s.lambda }) }),
});

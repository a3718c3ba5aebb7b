import { defineTrainSetting } from './setting.js';

/** The penalty l2 · Σ w² over the kernels (not the biases) added to the loss (ml/train.ts). */
export const l2 = defineTrainSetting({
  key: 'l2',
  setting: {
    type: 'number',
    bound: 'nonNegative',
    default: 0,
    doc: 'Weight decay: l2 · Σ w² over the kernels is added to the loss (0: none).',
  },
});

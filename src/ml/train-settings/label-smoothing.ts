import { defineTrainSetting } from './setting.js';

/** Targets (1 − ε)·y + ε/C in the cross-entropy (ml/train.ts). */
export const labelSmoothing = defineTrainSetting({
  key: 'label_smoothing',
  setting: {
    type: 'number',
    percent: true,
    bound: 'fraction',
    default: 0,
    doc: 'ε: the cross-entropy targets are (1 − ε)·y + ε/classes (0: none).',
  },
});

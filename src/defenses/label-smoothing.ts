/** Label smoothing of the training targets: sets the TrainDef's labelSmoothing (src/ml/train.ts). */
import { defineDefense } from './defense.js';

export const labelSmoothing = defineDefense({
  kind: 'label_smoothing',
  summary: 'Trains on smoothed labels, (1 − ε) on the true class.',
  stage: 'training',
  positional: ['epsilon'],
  settings: {
    epsilon: { type: 'number', percent: true, bound: 'fraction', doc: 'The mass moved off the true class.' },
  },
  apply: (s) => ({ train: (t) => ({ ...t, labelSmoothing: s.epsilon }) }),
});

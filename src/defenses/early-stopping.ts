/** Early stopping on a held-out share of the training records. */
import { defineDefense } from './defense.js';

export const earlyStopping = defineDefense({
  kind: 'early_stopping',
  summary: 'Stops training when the validation loss stops improving.',
  stage: 'training',
  positional: ['patience'],
  settings: {
    patience: { type: 'number', integer: true, bound: 'atLeast1', default: 3, doc: 'Epochs without improvement.' },
  },
});

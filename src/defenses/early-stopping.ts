/**
 * Early stopping on a held-out share of the training records: sets the TrainDef's earlyStopping. The
 * held-out share of the members is not trained on, so it is neither member nor scored (src/plan/compile-point.ts).
 */
import { defineDefense } from './defense.js';

export const earlyStopping = defineDefense({
  kind: 'early_stopping',
  summary: 'Stops training when the validation loss stops improving.',
  stage: 'training',
  positional: ['patience'],
  settings: {
    patience: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: 100_000, // as epochs (LIMITS.epochs)
      default: 3,
      doc: 'Epochs without improvement.',
    },
    validation: {
      type: 'number',
      percent: true,
      bound: 'openFraction',
      default: 0.1,
      doc: 'The share of the training records held out to watch the validation loss on.',
    },
  },
  apply: (s) => ({ train: (t) => ({ ...t, earlyStopping: { patience: s.patience, validation: s.validation } }) }),
});

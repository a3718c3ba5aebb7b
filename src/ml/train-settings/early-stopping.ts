import { defineTrainSetting } from './setting.js';

/** A `validation` share of the training draw held out; training stops after `patience` epochs without a better validation loss. */
export const earlyStopping = defineTrainSetting({
  key: 'early_stopping',
  setting: {
    type: 'block',
    settings: {
      patience: {
        type: 'number',
        integer: true,
        bound: 'atLeast1',
        default: 3,
        label: 'The early-stopping patience',
        doc: 'Epochs without a better validation loss before training stops.',
      },
      validation: {
        type: 'number',
        percent: true,
        bound: 'openFraction',
        default: 0.1,
        label: 'The early-stopping validation share',
        doc: 'The share of the training records held out to watch the validation loss on.',
      },
    },
    default: null,
    doc: 'Stops when the validation loss has not improved for `patience` epochs; keeps the best weights.',
  },
});

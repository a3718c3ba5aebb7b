import { LIMITS } from '../../kinds/size-limits.js';
import { defineTrainSetting } from './setting.js';

export const epochs = defineTrainSetting({
  key: 'epochs',
  setting: {
    type: 'number',
    integer: true,
    bound: 'atLeast1',
    max: LIMITS.epochs,
    doc: 'Passes over the training records.',
  },
});

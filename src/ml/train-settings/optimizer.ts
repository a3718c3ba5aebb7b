import { OPTIMIZER_KINDS } from '../optimizers/index.js';
import { defineTrainSetting } from './setting.js';

/** The optimizer, one of the kinds of ml/optimizers/ (E170 names an unknown one). */
export const optimizer = defineTrainSetting({
  key: 'optimizer',
  setting: {
    type: 'choice',
    noun: 'optimizer',
    code: 'E170',
    options: OPTIMIZER_KINDS,
    default: { kind: 'adam', rate: 0.001 },
    doc: 'The optimizer and its learning rate.',
  },
});

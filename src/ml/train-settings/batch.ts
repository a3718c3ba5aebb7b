import { LIMITS } from '../../kinds/size-limits.js';
import { defineTrainSetting } from './setting.js';

export const batch = defineTrainSetting({
  key: 'batch',
  setting: {
    type: 'number',
    integer: true,
    bound: 'atLeast1',
    max: LIMITS.batch,
    default: 32,
    doc: 'Records per optimisation step (the last batch of an epoch may be smaller).',
  },
});

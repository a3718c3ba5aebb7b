/** CIFAR-10 in its binary version: a folder of data_batch_*.bin files. */
import { defineSource, normalize } from '../source.js';

export const cifar10 = defineSource({
  kind: 'cifar10',
  summary: 'CIFAR-10, binary version: the folder holding its data_batch_*.bin files.',
  positional: ['dir'],
  settings: {
    dir: { type: 'string', doc: 'The folder.' },
    normalize: normalize('minmax'),
  },
  shape: () => ({ dims: [32, 32, 3], classes: 10 }),
  modality: () => 'image',
});

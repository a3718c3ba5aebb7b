/** MNIST-style IDX files: an image file and a label file. */
import { defineSource, normalize } from '../source.js';

export const idx = defineSource({
  kind: 'idx',
  summary: 'IDX image and label files (the format of the full MNIST and Fashion-MNIST).',
  positional: ['images', 'labels'],
  settings: {
    images: { type: 'string', doc: 'The image file (idx3-ubyte).' },
    labels: { type: 'string', doc: 'The label file (idx1-ubyte).' },
    normalize: normalize('minmax'),
  },
  modality: () => 'image',
});

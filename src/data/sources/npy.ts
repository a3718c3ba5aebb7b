/** NumPy arrays: a features file (records × features) and a labels file. */
import { defineSource, normalize } from '../source.js';

export const npy = defineSource({
  kind: 'npy',
  summary: 'NumPy .npy arrays: features (records × features) and labels.',
  positional: ['features', 'labels'],
  settings: {
    features: { type: 'string', doc: 'The features file.' },
    labels: { type: 'string', doc: 'The labels file.' },
    normalize: normalize('standard'),
  },
  modality: () => 'tabular',
});

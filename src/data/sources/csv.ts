/** A CSV file with a header row: one record a line, one column the label. */
import { defineSource, normalize } from '../source.js';

export const csv = defineSource({
  kind: 'csv',
  summary: 'A CSV file with a header row; one column is the label.',
  positional: ['path'],
  settings: {
    path: { type: 'string', doc: 'The file, relative to the spec.' },
    label: { type: 'string', doc: 'The name of the label column.' },
    missing: { type: 'string', default: null, doc: 'The marker of a missing value, e.g. "?".' },
    categorical: {
      type: 'strings',
      auto: true,
      default: 'auto',
      doc: 'The categorical columns (one-hot encoded), or auto: every non-numeric one.',
    },
    normalize: normalize('standard'),
  },
  modality: () => 'tabular',
});

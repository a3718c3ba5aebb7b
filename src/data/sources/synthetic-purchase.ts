/** Synthetic purchase-like data: binary features, classes from a seeded clustering (Shokri et al.'s Purchase). */
import { LIMITS } from '../../check/limits.js';
import { defineSource } from '../source.js';

export const syntheticPurchase = defineSource({
  kind: 'synthetic_purchase',
  summary: "Synthetic binary purchase records in the manner of Shokri et al.'s Purchase data.",
  settings: {
    records: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: LIMITS.populationSize,
      doc: 'How many records.',
    },
    features: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: LIMITS.units,
      doc: 'Binary features per record.',
    },
    classes: { type: 'number', integer: true, bound: 'atLeast1', max: LIMITS.units, doc: 'How many classes.' },
    seed: {
      type: 'number',
      integer: true,
      bound: 'nonNegative',
      default: null,
      doc: "The data's own seed (default: the experiment's).",
    },
  },
  shape: (s) => ({ dims: [s.features], classes: s.classes }),
  modality: () => 'tabular',
  records: (s) => s.records,
});

/** Synthetic purchase-like data: binary features, classes from a seeded clustering (Shokri et al.'s Purchase). */
import { DataError } from '../formats/errors.js';
import { LIMITS } from '../../kinds/size-limits.js';
import { syntheticPurchase as generate } from '../formats/synthetic-purchase.js';
import { defineSource } from '../source.js';
import { datasetOf, factsOf } from './parsed-source.js';

type Opts = { records: number; features: number; classes: number; density: number; flip: number; seed: number | null };
const parsed = (s: Opts, seed: number) => {
  try {
    const { records, features, classes, density, flip } = s;
    return generate({ records, features, classes, density, flip, seed: s.seed ?? seed });
  } catch (e) {
    if (e instanceof RangeError) throw new DataError('synthetic_purchase', e.message);
    throw e;
  }
};

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
    density: {
      type: 'number',
      percent: true,
      bound: 'openFraction',
      default: 0.2,
      doc: "The share of a class prototype's bits that are set.",
    },
    flip: {
      type: 'number',
      percent: true,
      bound: 'belowHalf',
      default: 0.1,
      doc: "The probability that a record's bit differs from its class prototype's: the higher, the harder the task.",
    },
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
  load: (s, ctx) => datasetOf(parsed(s, ctx.seed)),
  // Generated, not read: no key (the settings and seed in the job's spec determine the data).
  facts: (s, ctx) => ({ ...factsOf({ parsed: parsed(s, ctx.seed), key: '' }), key: undefined }),
});

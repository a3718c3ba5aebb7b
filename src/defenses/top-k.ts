/** Releases only the k largest probabilities of each answer. */
import { defineDefense } from './defense.js';

export const topK = defineDefense({
  kind: 'top_k',
  summary: 'Releases the top k probabilities of each answer, the rest as zero.',
  stage: 'output',
  positional: ['k'],
  settings: {
    // At most as many classes as a layer may have units (LIMITS.units).
    k: { type: 'number', integer: true, bound: 'atLeast1', max: 65_536, doc: 'How many classes are released.' },
  },
  release: (s) => ({ kind: 'top_k', k: s.k }),
});

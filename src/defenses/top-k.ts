/** Releases only the k largest probabilities of each answer, the rest as zero (ties: the lower class). */
import { defineDefense } from './defense.js';

export const topK = defineDefense({
  kind: 'top_k',
  summary: 'Releases the top k probabilities of each answer, the rest as zero.',
  stage: 'output',
  positional: ['k'],
  settings: {
    // At most as many classes as a layer may have units (LIMITS.units).
    k: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: 65_536,
      doc: 'How many classes are released (1 to the classes).',
    },
  },
  release: (s) => ({
    releases: 'top_k',
    apply(p) {
      const keep = Array.from(p.keys())
        .sort((a, b) => p[b]! - p[a]! || a - b)
        .slice(0, s.k);
      const o = new Float64Array(p.length);
      for (const i of keep) o[i] = p[i]!;
      return o;
    },
  }),
  check(s, c) {
    if (c.classes !== null && s.k > c.classes)
      c.error(
        'E164',
        `top_k(${s.k}) releases more classes than the data has (${c.classes}): it would release every probability.`,
        'k',
        `Give k from 1 to ${c.classes}.`,
      );
  },
});

/**
 * Statistics-based shadow data (Shokri et al. 2017, section V.C): the attacker holds no records but
 * knows, for each class, the marginal distribution of every feature over some population; it samples
 * each feature of a synthetic record independently from its class's marginal (synthesis/marginals.ts).
 * What the attacker is given is `statistics`, a subset of the target's dataset (e.g. `buys.take(1000)`,
 * disjoint from the target's members and non-members): only the per-class marginals of those records
 * reach the synthetic data, never a record itself (a synthetic record mixes features of many records).
 */
import { LIMITS } from '../../kinds/size-limits.js';
import { DataError } from '../formats/errors.js';
import { synthesizeFromMarginals } from '../synthesis/marginals.js';
import { defineSource } from '../source.js';

export const marginals = defineSource({
  kind: 'marginals',
  summary: "Shadow data sampled from per-class feature marginals the attacker knows (Shokri et al.'s V.C).",
  positional: ['statistics'],
  settings: {
    statistics: {
      type: 'data',
      doc: 'The records whose per-class marginals the attacker knows (a subset of the target’s dataset).',
    },
    records: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: LIMITS.populationSize,
      doc: 'How many records to synthesise.',
    },
  },
  modality: () => 'tabular',
  records: (s) => s.records,
  synthesis: {
    run: async (s, input) => {
      if (!input.statistics || input.statistics.n === 0)
        throw new DataError(
          `marginals(${s.statistics.dataset})`,
          'The statistics hold no records to take marginals from.',
        );
      return { dataset: synthesizeFromMarginals(input.statistics, s.records, input.seed), queries: 0 };
    },
  },
});

/** Quantile-regression MIA (Bertran et al. 2023): a regressor of non-members' score quantile, no shadow models. */
import { LIMITS } from '../../kinds/size-limits.js';
import { quantileAttack } from '../quantile.js';
import { defineAttack } from '../kind.js';

export const quantile = defineAttack({
  kind: 'quantile',
  summary: "Flags records whose margin exceeds a regressor's predicted (1 − fpr) quantile for non-members.",
  version: 2,
  settings: {
    population: { type: 'data', doc: 'Public non-member records the regressor is trained on.' },
    population_size: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: LIMITS.populationSize,
      default: 4000,
      doc: 'At most this many of them (drawn at random).',
    },
    fpr: {
      type: 'number',
      percent: true,
      bound: 'openFraction',
      default: 0.01,
      doc: 'The false-positive rate aimed at: the regressor predicts the (1 − fpr) quantile.',
    },
    loss: {
      type: 'enum',
      options: ['gaussian', 'pinball'],
      default: 'gaussian',
      doc: "gaussian: the regressor predicts the margin's mean and spread (the score is a z-score, ranking any fpr); pinball: its (1 − fpr) quantile.",
    },
    hidden: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: 1024,
      default: 64,
      doc: "The regressor's hidden ReLU units (one hidden layer, one output head per class).",
    },
    epochs: { type: 'number', integer: true, bound: 'atLeast1', max: 1000, default: 20, doc: 'Epochs of its fit.' },
  },
  needsProbabilities: true,
  population: (s) => ({ subset: s.population, poolOf: null, size: s.population_size }),
  score: (ctx, s) => quantileAttack(ctx, s),
});

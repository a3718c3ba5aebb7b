/** Shokri et al.'s shadow-model attack: a classifier trained on shadow models' outputs, in and out. */
import { shadowModelAttack } from '../shadow-model.js';
import { defineAttack } from '../kind.js';

export const shadowModel = defineAttack({
  kind: 'shadow_model',
  summary: "Trains a membership classifier on shadow models' outputs (Shokri et al.).",
  version: 2,
  settings: {
    shadows: { type: 'shadows', doc: 'The shadow models whose outputs train the attack classifier.' },
    per_class: { type: 'boolean', default: true, doc: 'One attack classifier per class, as in the paper.' },
    classifier: {
      type: 'enum',
      options: ['logistic', 'mlp'],
      default: 'logistic',
      doc: 'The attack classifier.',
    },
    features: {
      type: 'enum',
      options: ['sorted', 'full', 'log_sorted'],
      default: 'sorted',
      doc: 'Its input: the sorted probability vector (the paper’s), the full one, or the sorted log-probabilities.',
    },
    standardize: {
      type: 'boolean',
      default: true,
      doc: 'Scale each input to mean 0 and deviation 1 over the shadows’ records, as a scikit-learn pipeline would.',
    },
  },
  needsProbabilities: true,
  check(s, c) {
    const sh = c.shadows(s.shadows);
    if (sh?.count === 1)
      c.warn(
        'W301',
        `The shadow-model attack "${c.name}" uses a single shadow model; with one, the original study saw chance-level results.`,
        'shadows',
        `Give shadows "${sh.name}" count 4 or more.`,
      );
  },
  score: (ctx, s) =>
    shadowModelAttack(ctx, s.shadows, {
      perClass: s.per_class,
      classifier: s.classifier,
      features: s.features,
      standardize: s.standardize,
      seed: ctx.seed ?? 0,
    }),
});

/** Nasr et al.'s adversarial regularisation: a min-max game against an inference attack. */
import { defineDefense } from './defense.js';

export const adversarialRegularization = defineDefense({
  kind: 'adversarial_regularization',
  summary: 'Trains against an inference attack (Nasr et al.).',
  stage: 'training',
  positional: ['alpha'],
  settings: { alpha: { type: 'number', bound: 'nonNegative', default: 1, doc: 'The weight of the attack’s gain.' } },
});

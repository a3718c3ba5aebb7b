/**
 * Nasr et al.'s adversarial regularisation: a min-max game against an inference attack
 * (src/ml/adv-reg-train.ts). The inference model's non-members are the defender's reference set:
 * `reference` records of the target's dataset drawn (seeded) outside every target's members and
 * non-members; they may overlap the attacker's shadow pool (both are the same population).
 */
import { defineDefense } from './defense.js';

export const adversarialRegularization = defineDefense({
  kind: 'adversarial_regularization',
  summary: 'Trains against an inference attack (Nasr et al.).',
  stage: 'training',
  positional: ['alpha'],
  settings: {
    alpha: { type: 'number', bound: 'nonNegative', default: 1, doc: 'The weight of the attack’s gain.' },
    steps: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: 1000, // each multiplies the work of a training step
      default: 1,
      doc: 'Inference steps per step.',
    },
    reference: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: 10_000_000, // as a population (LIMITS.populationSize)
      default: 1000,
      doc: 'Reference records the defender holds (outside every target’s members and non-members).',
    },
  },
  apply: (s) => ({
    reference: s.reference,
    trainer: async (i) => {
      const { trainModelAdvReg } = await import('../ml/adv-reg-train.js');
      if (!i.reference) throw new Error('Adversarial regularisation needs its reference records.');
      return trainModelAdvReg(
        i.model,
        i.data,
        i.def,
        { alpha: s.alpha, steps: s.steps, reference: i.reference },
        i.seed,
        i.onEpoch,
      );
    },
  }),
});

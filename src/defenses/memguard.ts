/**
 * Jia et al.'s MemGuard: adversarial noise on the released probabilities, in a job of its own. The
 * defender's membership classifier (logistic regression on sorted confidence vectors) is fitted on the
 * defender's own data: the target's outputs on its members (1) against its outputs on `reference`
 * records it holds (0), drawn (seeded) outside every target's members and non-members. Each queried
 * record's vector (every record an attack or the results read from the target) is then perturbed (src/defenses/mechanics/memguard.ts) within the expected L1 budget
 * `epsilon`, keeping the predicted label. Shadow models' outputs are not perturbed: the attacker does
 * not hold the defender's classifier.
 */
import { makeRng } from '../util/rng.js';
import { defineDefense } from './defense.js';
import { fitDefenderModel, memguard as memguardOne } from './mechanics/memguard.js';

export const memguard = defineDefense({
  kind: 'memguard',
  summary: 'Adds adversarial noise to released probabilities, keeping the label (Jia et al.).',
  stage: 'output',
  settings: {
    epsilon: { type: 'number', bound: 'positive', default: 0.5, doc: 'The expected L1 budget on each change.' },
    reference: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: 10_000_000, // as a population (LIMITS.populationSize)
      default: 1000,
      doc: 'Reference records the defender holds to fit its classifier.',
    },
  },
  perturb: (s) => ({
    reference: s.reference,
    perturb: (i) => {
      const row = (r: number) => i.probs.subarray(r * i.classes, (r + 1) * i.classes);
      const model = fitDefenderModel(i.members.map(row), i.reference.map(row), 'logistic', i.seed);
      const out = Float64Array.from(i.probs);
      const rng = makeRng(i.seed);
      for (const r of i.queried)
        out.set(memguardOne(row(r), model, { epsilon: s.epsilon }, rng).released, r * i.classes);
      return out;
    },
  }),
});

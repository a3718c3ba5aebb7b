/** Jia et al.'s MemGuard: adversarial noise on the released probabilities. */
import { defineDefense } from './defense.js';

export const memguard = defineDefense({
  kind: 'memguard',
  summary: 'Adds adversarial noise to released probabilities, keeping the label (Jia et al.).',
  stage: 'output',
  settings: {},
});

/** Releases probabilities rounded to a number of decimals. */
import { defineDefense } from './defense.js';

export const rounding = defineDefense({
  kind: 'rounding',
  summary: 'Releases probabilities rounded to `decimals` places.',
  stage: 'output',
  positional: ['decimals'],
  settings: { decimals: { type: 'number', integer: true, bound: 'nonNegative', doc: 'Decimal places kept.' } },
  release: (s) => ({ kind: 'rounded', decimals: s.decimals }),
});

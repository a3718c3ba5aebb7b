/** Releases probabilities rounded to a number of decimals. */
import { defineDefense } from './defense.js';

export const rounding = defineDefense({
  kind: 'rounding',
  summary: 'Releases probabilities rounded to `decimals` places.',
  stage: 'output',
  positional: ['decimals'],
  settings: {
    // 17 decimals keep every digit of a float64 probability; past 308, 10^decimals is ∞ and rounding gives NaN.
    decimals: { type: 'number', integer: true, bound: 'nonNegative', max: 17, doc: 'Decimal places kept.' },
  },
  release: (s) => ({ kind: 'rounded', decimals: s.decimals }),
});

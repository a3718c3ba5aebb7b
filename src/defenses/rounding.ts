/**
 * Releases probabilities rounded to a number of decimals. At most 15: float64 keeps 15 to 17
 * significant digits, and 10^309 overflows (every score would become −Infinity, AUC 0.5).
 */
import { defineDefense } from './defense.js';

export const rounding = defineDefense({
  kind: 'rounding',
  summary: 'Releases probabilities rounded to `decimals` places.',
  stage: 'output',
  positional: ['decimals'],
  settings: {
    // 15 decimals keep what a float64 probability can show; past 308, 10^decimals is ∞ and rounding gives NaN.
    decimals: {
      type: 'number',
      integer: true,
      bound: 'nonNegative',
      max: 15,
      doc: 'Decimal places kept (0 to 15).',
    },
  },
  release: (s) => {
    const f = 10 ** s.decimals;
    return { releases: 'probabilities', apply: (p) => p.map((v) => Math.round(v * f) / f) };
  },
});

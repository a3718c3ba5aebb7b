/**
 * Gaussian noise on the released probabilities: each released (non-zero) probability gets an
 * independent N(0, sigma²) draw, is clipped at 0, and the row is renormalised to sum 1 over the
 * classes still released (a class hidden by an earlier step stays hidden). A row the noise clips to
 * all zeros releases its largest noisy value as 1. Draws are seeded per model queried and step.
 */
import { defineDefense } from './defense.js';

export const gaussianNoise = defineDefense({
  kind: 'gaussian_noise',
  summary: 'Adds Gaussian noise to each released probability, clipped at 0 and renormalised.',
  stage: 'output',
  positional: ['sigma'],
  settings: {
    sigma: { type: 'number', bound: 'positive', max: 10, doc: 'The standard deviation, on the probability scale.' },
  },
  release: (s) => ({
    releases: 'probabilities',
    apply(p, rng) {
      const noisy = p.map((v) => (v > 0 ? v + s.sigma * rng.normal() : Number.NEGATIVE_INFINITY));
      const o = noisy.map((v) => Math.max(v, 0));
      const sum = o.reduce((a, b) => a + b, 0);
      if (sum > 0) return o.map((v) => v / sum);
      let best = 0;
      for (let i = 1; i < noisy.length; i++) if (noisy[i]! > noisy[best]!) best = i;
      o[best] = 1;
      return o;
    },
  }),
});

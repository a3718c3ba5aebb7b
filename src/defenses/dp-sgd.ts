/** DP-SGD (Abadi et al.): per-example gradient clipping and Gaussian noise, with a privacy accountant. */
import { defineDefense } from './defense.js';

export const dpSgd = defineDefense({
  kind: 'dp_sgd',
  summary: 'Differentially private SGD: per-example gradients clipped to `clip`, Gaussian noise added.',
  stage: 'training',
  settings: {
    noise: { type: 'number', bound: 'positive', doc: 'The noise multiplier σ (noise std / clip).' },
    clip: { type: 'number', bound: 'positive', doc: 'The per-example gradient norm bound C.' },
    delta: { type: 'number', bound: 'openFraction', default: 1e-5, doc: 'The δ of the (ε, δ) guarantee reported.' },
  },
});

/** Label-only attacks (Choquette-Choo et al.): the gap attack, and robustness to augmentations or noise. */
import { labelOnlyAttack } from '../label-only.js';
import { defineAttack } from '../kind.js';

export const labelOnly = defineAttack({
  kind: 'label_only',
  summary: 'Needs only predicted labels: correct or not (gap), or robustness to augmentations or noise.',
  version: 1,
  settings: {
    method: {
      type: 'enum',
      options: ['gap', 'augmentation', 'noise'],
      default: 'gap',
      doc: 'gap: is the label right; augmentation, noise: how often it stays right on perturbed copies; method: boundary is read as boundary_distance, with its settings.',
    },
    augmentations: { type: 'augmentations', default: [], doc: 'The perturbations queried.' },
    shadows: { type: 'shadows', default: null, doc: 'Shadow models to learn how robustness relates to membership.' },
  },
  needsProbabilities: false,
  // Choquette-Choo et al.'s boundary distance is its own kind; `method: boundary` is read as it.
  forwards: [{ setting: 'method', value: 'boundary', to: 'boundary_distance' }],
  check(s, c) {
    const noise = s.augmentations.filter((x) => x.kind === 'noise').length;
    const at = s.augmentations.length ? 'augmentations' : 'method';
    if (s.method === 'augmentation' && (s.augmentations.length === 0 || noise > 0))
      c.error(
        'E143',
        `The label-only augmentation attack "${c.name}" needs augmentations such as [rotate(3), translate(1)] or [flip_bits(10, 3)], without noise.`,
        at,
        'Noise queries belong to method: noise.',
      );
    if (s.method === 'noise' && (noise === 0 || noise !== s.augmentations.length))
      c.error(
        'E143',
        `The label-only noise attack "${c.name}" needs augmentations: [noise(SIGMA, QUERIES)] and nothing else.`,
        at,
        'For example: augmentations: [noise(0.3, 30)].',
      );
  },
  score: (ctx, s) => labelOnlyAttack(ctx, s.method, s.shadows),
});

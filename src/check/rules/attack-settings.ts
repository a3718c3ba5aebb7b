/**
 * E142, E143: attack settings that only make sense together. A threshold calibrated per class needs
 * shadow models to calibrate on; a label-only augmentation attack needs image or bit-flip
 * augmentations, and a label-only noise attack exactly noise(sigma, queries).
 */
import type { Rule } from './rule.js';

export const attackSettings: Rule = {
  name: 'attack-settings',
  run(ctx) {
    for (const a of ctx.program.attacks) {
      if (a.kind === 'threshold' && a.calibration === 'per_class' && a.shadows === null) {
        ctx.error(
          'E142',
          `The threshold attack "${a.name}" is calibrated per class, which needs shadow models to calibrate on.`,
          ctx.loc.of(a, 'calibration'),
          'Add shadows: NAME, or use calibration: global.',
        );
      }
      if (a.kind !== 'label_only') continue;
      const noise = a.augmentations.filter((x) => x.kind === 'noise').length;
      if (a.method === 'augmentation' && (a.augmentations.length === 0 || noise > 0)) {
        ctx.error(
          'E143',
          `The label-only augmentation attack "${a.name}" needs augmentations such as [rotate(3), translate(1)] or [flip_bits(10, 3)], without noise.`,
          ctx.loc.of(a, a.augmentations.length ? 'augmentations' : 'method'),
          'Noise queries belong to method: noise.',
        );
      }
      if (a.method === 'noise' && (noise === 0 || noise !== a.augmentations.length)) {
        ctx.error(
          'E143',
          `The label-only noise attack "${a.name}" needs augmentations: [noise(SIGMA, QUERIES)] and nothing else.`,
          ctx.loc.of(a, a.augmentations.length ? 'augmentations' : 'method'),
          'For example: augmentations: [noise(0.3, 30)].',
        );
      }
    }
  },
};

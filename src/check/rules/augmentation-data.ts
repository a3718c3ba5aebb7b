/**
 * E320: image augmentations (rotate, translate) need image data (mnist, idx, cifar10); flip_bits flips
 * binary features of tabular data (csv, npy, synthetic_purchase). Judged against each target's data.
 */
import { attackOf } from '../../attacks/needs.js';
import { isAugmentations } from '../../kinds/schema.js';
import { modality } from '../facts.js';
import type { Rule } from './rule.js';

export const augmentationData: Rule = {
  name: 'augmentation-data',
  codes: ['E320'],
  run(ctx) {
    const p = ctx.program;
    for (const t of p.targets) {
      const ds = p.datasets.find((d) => d.name === t.members.dataset);
      if (!ds) continue;
      const kind = modality(ds.source);
      for (const a of p.attacks) {
        for (const [key, setting] of Object.entries(attackOf(a).settings)) {
          const augs = a.settings[key];
          if (setting.type !== 'augmentations' || !isAugmentations(augs)) continue;
          augs.forEach((g, i) => {
            const image = g.kind === 'rotate' || g.kind === 'translate';
            if (image && kind === 'tabular') {
              ctx.error(
                'E320',
                `The augmentation ${g.kind} of attack "${a.name}" needs image data, but target "${t.name}" is trained on tabular data ("${ds.name}", ${ds.source.kind}).`,
                ctx.loc.of(a, `${key}.${i}`),
                'On tabular data use flip_bits(count, max) or noise(sigma, queries).',
              );
            } else if (g.kind === 'flip_bits' && kind === 'image') {
              ctx.error(
                'E320',
                `The augmentation flip_bits of attack "${a.name}" flips binary tabular features, but target "${t.name}" is trained on images ("${ds.name}", ${ds.source.kind}).`,
                ctx.loc.of(a, `${key}.${i}`),
                'On images use rotate(degrees), translate(pixels) or noise(sigma, queries).',
              );
            }
          });
        }
      }
    }
  },
};

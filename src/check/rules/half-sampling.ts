/** E303: half sampling puts each pool record in exactly half the models, so the count must be even (and at least 2). */
import { trainedShadows } from '../../kinds/program.js';
import type { Rule } from './rule.js';

export const halfSampling: Rule = {
  name: 'half-sampling',
  codes: ['E303'],
  run(ctx) {
    for (const s of trainedShadows(ctx.program.shadows)) {
      if (s.sampling !== 'half' || (s.count >= 2 && s.count % 2 === 0)) continue;
      ctx.error(
        'E303',
        `Shadows "${s.name}" are sampled half, which needs an even count of at least 2, not ${s.count}.`,
        ctx.loc.of(s, 'count'),
        `Use count ${Math.max(2, s.count + 1)}.`,
      );
    }
  },
};

/**
 * E301: the shadow pool must hold enough records: every shadow model trains on `size` records and holds
 * out as many, so one model needs 2 × size; under disjoint sampling no record serves two models, so
 * count models need count × 2 × size. Checked where the pool's size is known before loading (MNIST
 * and synthetic data; `take`/`sample` subsets of any source); for files it is checked at run time.
 */
import { trainedShadows } from '../../kinds/program.js';
import { fmtN, subsetSize } from '../facts.js';
import type { Rule } from './rule.js';

export const shadowPoolSize: Rule = {
  name: 'shadow-pool-size',
  codes: ['E301'],
  run(ctx) {
    for (const s of trainedShadows(ctx.program.shadows)) {
      if (s.sampling === 'half') continue;
      const pool = subsetSize(ctx.program, s.pool);
      if (!pool) continue;
      const need = s.sampling === 'disjoint' ? s.count * 2 * s.size : 2 * s.size;
      if (pool.n >= need) continue;
      const why =
        s.sampling === 'disjoint'
          ? `${s.count} disjoint shadow models of size ${fmtN(s.size)} need ${fmtN(need)} (count × size, twice over for the held-out records)`
          : `each shadow model needs ${fmtN(need)} (size ${fmtN(s.size)} trained on, as many held out)`;
      ctx.error(
        'E301',
        `The pool of shadows "${s.name}" has ${fmtN(pool.n)} records (${pool.how}), but ${why}.`,
        ctx.loc.of(s, 'pool'),
        s.sampling === 'disjoint'
          ? `Lower count or size, use a larger pool, or sample overlapping.`
          : 'Lower size or use a larger pool.',
      );
    }
  },
};

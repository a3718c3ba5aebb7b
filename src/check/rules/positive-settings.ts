/**
 * E111: counts and magnitudes that must be positive: epochs, batch, learning rate, units, filters,
 * kernel, stride and pool sizes, patience, shadow count and size, take/sample sizes, DP-SGD noise and
 * clip, top_k, a remote budget, synthetic data sizes (attack settings: setting-bounds.ts).
 */
import { match } from 'ts-pattern';
import { dataRefs } from '../facts.js';
import { bounded } from './bounds.js';
import type { Rule } from './rule.js';

export const positiveSettings: Rule = {
  name: 'positive-settings',
  codes: ['E111'],
  run(ctx) {
    const p = ctx.program;
    const pos = (v: number, def: object, field: string, what: string): void =>
      bounded(ctx, 'E111', v, 'positive', def, field, what);
    const one = (v: number, def: object, field: string, what: string): void =>
      bounded(ctx, 'E111', v, 'atLeast1', def, field, what);
    for (const m of p.models) {
      const t = m.train;
      one(t.epochs, t, 'epochs', 'epochs');
      one(t.batch, t, 'batch', 'batch');
      pos(t.optimizer.rate, t, 'optimizer.rate', 'The learning rate');
      if (t.earlyStopping) one(t.earlyStopping.patience, t, 'early_stopping.patience', 'The early-stopping patience');
      m.layers.forEach((l, i) => {
        const f = (k: string): string => `layers.${i}.${k}`;
        match(l)
          .with({ kind: 'dense' }, (d) => {
            if (d.units !== 'classes') one(d.units, m, f('units'), 'The number of units of dense');
          })
          .with({ kind: 'conv2d' }, (c) => {
            one(c.filters, m, f('filters'), 'The filters of conv2d');
            one(c.kernel, m, f('kernel'), 'The kernel of conv2d');
            one(c.stride, m, f('stride'), 'The stride of conv2d');
          })
          .with({ kind: 'max_pool' }, { kind: 'avg_pool' }, (q) => {
            one(q.size, m, f('size'), `The size of ${q.kind}`);
            one(q.stride, m, f('stride'), `The stride of ${q.kind}`);
          })
          .with(
            { kind: 'flatten' },
            { kind: 'dropout' },
            { kind: 'batch_norm' },
            { kind: 'activation' },
            () => undefined,
          )
          .exhaustive();
      });
    }
    for (const { ref } of dataRefs(p)) {
      ref.ops.forEach((o, i) => {
        if (o.op === 'take' || o.op === 'sample') one(o.n, ref, `ops.${i}.n`, `The number of records to ${o.op}`);
      });
    }
    for (const s of p.shadows) {
      one(s.count, s, 'count', 'The shadow count');
      if (s.sampling !== 'half' || s.size !== 0) one(s.size, s, 'size', 'The shadow size');
    }
    for (const t of p.targets) {
      if (t.kind === 'remote') one(t.budget, t, 'budget', 'The query budget');
    }
  },
};

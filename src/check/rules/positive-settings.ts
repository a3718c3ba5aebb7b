/**
 * E111: counts and magnitudes that must be positive: units, filters, kernel, stride and pool sizes,
 * shadow count and size, take/sample sizes, a remote budget (the settings of kinds and of `train`,
 * from their schemas: setting-bounds.ts).
 */
import { trainedShadows } from '../../kinds/program.js';
import { numberSettings } from '../../ml/layers/index.js';
import { dataRefs } from '../facts.js';
import { bounded } from './bounds.js';
import type { Rule } from './rule.js';
import { apiTarget } from '../read/target-sources/index.js';

export const positiveSettings: Rule = {
  name: 'positive-settings',
  codes: ['E111'],
  run(ctx) {
    const p = ctx.program;
    const one = (v: number, def: object, field: string, what: string): void =>
      bounded(ctx, 'E111', v, 'atLeast1', def, field, what);
    for (const m of p.models) {
      m.layers.forEach((l, i) => {
        for (const { key, setting, value } of numberSettings(l))
          if (setting.bound === 'atLeast1')
            one(value, m, `layers.${i}.${key}`, setting.boundLabel ?? `The ${key} of ${l.kind}`);
      });
    }
    for (const { ref } of dataRefs(p)) {
      ref.ops.forEach((o, i) => {
        if (o.op === 'take' || o.op === 'sample') one(o.n, ref, `ops.${i}.n`, `The number of records to ${o.op}`);
      });
    }
    for (const s of trainedShadows(p.shadows)) {
      one(s.count, s, 'count', 'The shadow count');
      if (s.sampling !== 'half' || s.size !== 0) one(s.size, s, 'size', 'The shadow size');
    }
    for (const t of p.targets) {
      const api = apiTarget(t);
      if (api) one(api.budget, t, 'budget', 'The query budget');
    }
  },
};

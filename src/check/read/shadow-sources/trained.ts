/** Shadow models mia trains: `shadows refs { model, count, pool, size, sampling, defenses }`. */
import type { Sampling, TrainedShadowsDef } from '../../../kinds/program.js';
import { readDataRef } from '../data.js';
import { defineShadowSource } from './source.js';

export const SAMPLINGS = ['overlapping', 'disjoint', 'half'] as const;

export const trained = defineShadowSource({
  kind: 'trained',
  usage: 'a block { model, count, pool, size, ... }',
  bare: true,
  read(ctx, s, c, fields) {
    const { r } = ctx;
    const what = `shadows "${s.name}"`;
    const es = r.entries(c.block!, what, ['model', 'count', 'pool', 'size', 'sampling', 'defenses']);
    for (const [k, v] of es) fields[k] = v.value.range;
    const modelE = r.required(es, 'model', `The ${what}`, s.nameRange);
    const countE = r.required(es, 'count', `The ${what}`, s.nameRange);
    const poolE = r.required(es, 'pool', `The ${what}`, s.nameRange);
    const samplingE = es.get('sampling');
    const sampling: Sampling | undefined = samplingE ? r.oneOf(samplingE.value, 'sampling', SAMPLINGS) : 'overlapping';
    // Under half sampling every pool record is in half the models, so size follows from the pool (0 until it is known).
    const sizeE = sampling === 'half' ? es.get('size') : r.required(es, 'size', `The ${what}`, s.nameRange);
    const model = modelE ? r.name(modelE.value, `The model of ${what}`) : undefined;
    const count = countE ? r.number(countE.value, 'The shadow count', { integer: true }) : undefined;
    const pool = poolE ? readDataRef(ctx, poolE.value, 'The shadow pool') : undefined;
    const size = sizeE
      ? r.number(sizeE.value, 'The shadow size', { integer: true })
      : sampling === 'half'
        ? 0
        : undefined;
    const defensesE = es.get('defenses');
    const defenses = defensesE ? r.oneOf(defensesE.value, 'defenses', ['mimic', 'none'] as const) : 'mimic';
    if (!model || count === undefined || !pool || size === undefined || !sampling || !defenses) return undefined;
    const def: TrainedShadowsDef = {
      name: s.name,
      model,
      count,
      pool,
      size,
      sampling,
      defenses,
      file: r.file,
      range: s.range,
    };
    return def;
  },
});

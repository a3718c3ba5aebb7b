/** Label-only and LiRA augmentations: `[rotate(3), translate(1), flip_bits(10, 3), noise(0.3, 30)]`. */
import type { Expr, Range } from '../../lang/index.js';
import type { Augmentation } from '../../kinds/program.js';
import { callParts, params, type Param } from './expr-reader.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';

export const AUGMENTATIONS = ['rotate', 'translate', 'flip_bits', 'noise'] as const;

/** Reads a list of augmentations; records `KEY.i` and `KEY.i.SETTING` ranges in `fields`. */
export function readAugmentations(
  ctx: ReadContext,
  e: Expr,
  fields: Record<string, Range>,
  key = 'augmentations',
): Augmentation[] | undefined {
  const { r } = ctx;
  const items = r.list(e, key);
  if (!items) return undefined;
  const out: Augmentation[] = [];
  let ok = true;
  for (const [i, item] of items.entries()) {
    fields[`${key}.${i}`] = item.range;
    const aug = readAugmentation(ctx, item, (k, range) => {
      fields[`${key}.${i}.${k}`] = range;
    });
    if (aug) out.push(aug);
    else ok = false;
  }
  return ok ? out : undefined;
}

function readAugmentation(
  ctx: ReadContext,
  item: Expr,
  field: (k: string, range: Range) => void,
): Augmentation | undefined {
  const { r } = ctx;
  const c = callParts(item);
  if (!c || !(AUGMENTATIONS as readonly string[]).includes(c.name)) {
    r.error(
      'E145',
      `Unknown augmentation${c ? ` "${c.name}"` : ''}.${c ? didYouMean(c.name, AUGMENTATIONS) : ''}`,
      c?.nameRange ?? item.range,
      'Use rotate(degrees), translate(pixels), flip_bits(count, max) or noise(sigma, queries).',
    );
    return undefined;
  }
  const what = `the augmentation ${c.name}`;
  const num = (p: Map<string, Param>, k: string, dflt: number | undefined, integer: boolean): number | undefined => {
    const v = p.get(k);
    if (!v) {
      if (dflt === undefined) r.error('E103', `The augmentation ${c.name} needs a "${k}" setting.`, c.range);
      return dflt;
    }
    field(k, v.value.range);
    return r.number(v.value, `The ${k} of ${c.name}`, { integer });
  };
  switch (c.name) {
    case 'rotate': {
      const v = num(params(r, c, what, ['degrees'], []), 'degrees', undefined, false);
      return v === undefined ? undefined : { kind: 'rotate', degrees: v };
    }
    case 'translate': {
      const v = num(params(r, c, what, ['pixels'], []), 'pixels', undefined, true);
      return v === undefined ? undefined : { kind: 'translate', pixels: v };
    }
    case 'flip_bits': {
      const p = params(r, c, what, ['count', 'max'], []);
      const count = num(p, 'count', undefined, true);
      const max = num(p, 'max', count, true);
      return count === undefined || max === undefined ? undefined : { kind: 'flip_bits', count, max };
    }
    default: {
      const p = params(r, c, what, ['sigma', 'queries'], []);
      const sigma = num(p, 'sigma', undefined, false);
      const queries = num(p, 'queries', 100, true);
      return sigma === undefined || queries === undefined ? undefined : { kind: 'noise', sigma, queries };
    }
  }
}

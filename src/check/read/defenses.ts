/** Defenses: `dp_sgd { noise, clip, delta }`, `top_k(3)`, `labels_only`, ... inline or declared by name. */
import type { Expr, Item, Range } from '../../lang/index.js';
import type { DefenseDef } from '../program.js';
import { callParts, params, type Param } from '../reader.js';
import { didYouMean } from '../suggest.js';
import type { ReadContext } from './context.js';

export const DEFENSES = [
  'dp_sgd',
  'l2',
  'dropout',
  'early_stopping',
  'label_smoothing',
  'top_k',
  'rounding',
  'labels_only',
  'memguard',
  'adversarial_regularization',
] as const;

/** A defense expression; `declared` names defense declarations it may refer to. */
export function readDefense(
  ctx: ReadContext,
  e: Expr,
  declared: ReadonlyMap<string, () => DefenseDef | undefined>,
): DefenseDef | undefined {
  const { r, loc } = ctx;
  const c = callParts(e);
  if (!c) {
    r.error(
      'E180',
      'A defense must be a defense kind such as dp_sgd { noise: 1.1, clip: 1.0 } or the name of a declared defense.',
      e.range,
    );
    return undefined;
  }
  if (c.args.length === 0 && c.block === null && e.kind === 'ident') {
    const byName = declared.get(c.name);
    if (byName) return byName();
  }
  const what = `the defense ${c.name}`;
  const fields: Record<string, Range> = {};
  const num = (
    p: Map<string, Param>,
    k: string,
    dflt: number | undefined,
    opts: { integer?: boolean; percent?: boolean } = {},
  ): number | undefined => {
    const v = p.get(k);
    if (!v) {
      if (dflt === undefined) r.error('E103', `The defense ${c.name} needs a "${k}" setting.`, c.range);
      return dflt;
    }
    fields[k] = v.value.range;
    return r.number(v.value, `The ${k} of ${c.name}`, opts);
  };
  let def: DefenseDef | undefined;
  const range = e.range;
  switch (c.name) {
    case 'dp_sgd': {
      const p = params(r, c, what, [], ['noise', 'clip', 'delta']);
      const noise = num(p, 'noise', undefined);
      const clip = num(p, 'clip', undefined);
      const delta = num(p, 'delta', 1e-5);
      if (noise !== undefined && clip !== undefined && delta !== undefined)
        def = { kind: 'dp_sgd', noise, clip, delta, file: r.file, range };
      break;
    }
    case 'l2': {
      const v = num(params(r, c, what, ['lambda'], []), 'lambda', undefined);
      if (v !== undefined) def = { kind: 'l2', lambda: v, file: r.file, range };
      break;
    }
    case 'dropout': {
      const v = num(params(r, c, what, ['rate'], []), 'rate', undefined, { percent: true });
      if (v !== undefined) def = { kind: 'dropout', rate: v, file: r.file, range };
      break;
    }
    case 'early_stopping': {
      const v = num(params(r, c, what, ['patience'], []), 'patience', 3, { integer: true });
      if (v !== undefined) def = { kind: 'early_stopping', patience: v, file: r.file, range };
      break;
    }
    case 'label_smoothing': {
      const v = num(params(r, c, what, ['epsilon'], []), 'epsilon', undefined, { percent: true });
      if (v !== undefined) def = { kind: 'label_smoothing', epsilon: v, file: r.file, range };
      break;
    }
    case 'top_k': {
      const v = num(params(r, c, what, ['k'], []), 'k', undefined, { integer: true });
      if (v !== undefined) def = { kind: 'top_k', k: v, file: r.file, range };
      break;
    }
    case 'rounding': {
      const v = num(params(r, c, what, ['decimals'], []), 'decimals', undefined, { integer: true });
      if (v !== undefined) def = { kind: 'rounding', decimals: v, file: r.file, range };
      break;
    }
    case 'adversarial_regularization': {
      const v = num(params(r, c, what, ['alpha'], []), 'alpha', 1);
      if (v !== undefined) def = { kind: 'adversarial_regularization', alpha: v, file: r.file, range };
      break;
    }
    case 'labels_only':
    case 'memguard':
      params(r, c, what, [], []);
      def = { kind: c.name, file: r.file, range };
      break;
    default: {
      const names = [...declared.keys(), ...DEFENSES];
      r.error(
        'E180',
        `Unknown defense "${c.name}".${didYouMean(c.name, names)}`,
        c.nameRange,
        `Defenses: ${DEFENSES.join(', ')}${declared.size ? `; declared: ${[...declared.keys()].join(', ')}` : ''}.`,
      );
    }
  }
  if (def) loc.put(def, r.file, range, fields);
  return def;
}

/** A `defense NAME = ...` declaration; its range is that of its value. */
export function readDefenseDecl(ctx: ReadContext, d: Extract<Item, { kind: 'defense' }>): DefenseDef | undefined {
  return readDefense(ctx, d.value, new Map());
}

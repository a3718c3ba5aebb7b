/** Defenses: `dp_sgd { noise, clip, delta }`, `top_k(3)`, `labels_only`, ... inline or declared by name. */
import { defenseKinds } from '../../defenses/index.js';
import type { Expr, Item } from '../../lang/index.js';
import type { DefenseDef } from '../../kinds/program.js';
import { callParts } from './expr-reader.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';
import { readSettings } from './settings.js';

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
  const d = defenseKinds().find((k) => k.kind === c.name);
  if (!d) {
    const kinds = defenseKinds().map((k) => k.kind);
    const names = [...declared.keys(), ...kinds];
    r.error(
      'E180',
      `Unknown defense "${c.name}".${didYouMean(c.name, names)}`,
      c.nameRange,
      `Defenses: ${kinds.join(', ')}${declared.size ? `; declared: ${[...declared.keys()].join(', ')}` : ''}.`,
    );
    return undefined;
  }
  const what = `the defense ${c.name}`;
  const read = readSettings(ctx, c, d.settings, d.positional ?? [], what, `The defense ${c.name}`, c.range);
  if (!read.settings) return undefined;
  const def: DefenseDef = { kind: d.kind, settings: read.settings, file: r.file, range: e.range };
  loc.put(def, r.file, e.range, read.fields);
  return def;
}

/** A `defense NAME = ...` declaration; its range is that of its value. */
export function readDefenseDecl(ctx: ReadContext, d: Extract<Item, { kind: 'defense' }>): DefenseDef | undefined {
  return readDefense(ctx, d.value, new Map());
}

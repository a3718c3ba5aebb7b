/**
 * The generic settings reader: a kind's settings (positional arguments, named arguments, a block),
 * parsed against its schema. Types are judged here (E110-E116); bounds and limits by the rules.
 */
import type { Expr, Range } from '../../lang/index.js';
import type { Schema, Setting, SettingValue, Settings } from '../../kinds/schema.js';
import { params, type CallParts } from './expr-reader.js';
import { readAugmentations } from './augmentations.js';
import type { ReadContext } from './context.js';
import { readDataRef } from './data.js';

export interface SettingsRead {
  /** The kind's settings, every one present (defaults filled in), or undefined when one was wrong. */
  settings: Settings | undefined;
  /** The range of each value given, by setting name (`augmentations.0` and deeper for lists). */
  fields: Record<string, Range>;
}

/**
 * Reads `c`'s settings against `schema`. `what` names the thing in messages ("the rmia attack \"r\""),
 * `owner` opens the message about a missing required setting and `at` is where that one points.
 */
export function readSettings(
  ctx: ReadContext,
  c: CallParts,
  schema: Schema,
  positional: readonly string[],
  what: string,
  owner: string,
  at: Range,
): SettingsRead {
  const { r } = ctx;
  const given = params(r, c, what, positional, Object.keys(schema));
  const fields: Record<string, Range> = {};
  const out: Record<string, SettingValue> = {};
  let ok = true;
  for (const [k, s] of Object.entries(schema)) {
    const p = given.get(k);
    if (!p) {
      if ('default' in s && s.default !== undefined)
        out[k] = Array.isArray(s.default) ? structuredClone(s.default) : s.default;
      else {
        r.required(given, k, owner, at);
        ok = false;
      }
      continue;
    }
    fields[k] = p.value.range;
    const v = readValue(ctx, p.value, k, s, what, fields);
    if (v === undefined) ok = false;
    else out[k] = v;
  }
  return { settings: ok ? out : undefined, fields };
}

function readValue(
  ctx: ReadContext,
  e: Expr,
  k: string,
  s: Setting,
  what: string,
  fields: Record<string, Range>,
): SettingValue | undefined {
  const { r } = ctx;
  const the = `The ${k} of ${what}`;
  switch (s.type) {
    case 'number':
      return r.number(e, the, { ...(s.integer ? { integer: true } : {}), ...(s.percent ? { percent: true } : {}) });
    case 'enum':
      return r.oneOf(e, k, s.options);
    case 'boolean':
      return r.boolean(e, k);
    case 'string':
      return r.string(e, the);
    case 'strings': {
      if (s.auto && e.kind === 'ident' && e.name === 'auto') return 'auto';
      const items = r.list(e, `${the}${s.auto ? ' (or auto)' : ''}`);
      const names = items?.map((i) => r.string(i, `An item of the ${k} of ${what}`));
      return names?.every((n): n is string => n !== undefined) ? names : undefined;
    }
    case 'shadows':
    case 'target':
      return r.name(e, the);
    case 'data':
      return readDataRef(ctx, e, the);
    case 'augmentations':
      return readAugmentations(ctx, e, fields, k);
  }
}

/**
 * The generic settings reader: a kind's settings (positional arguments, named arguments, a block),
 * parsed against its schema. Types are judged here (E110-E116); bounds and limits by the rules.
 */
import type { Expr, Range } from '../../lang/index.js';
import type { Choice, Schema, Setting, SettingValue, Settings } from '../../kinds/schema.js';
import { usage } from '../../kinds/schema.js';
import { didYouMean } from '../../util/suggest.js';
import { callParts, params, type CallParts } from './expr-reader.js';
import { readAugmentations } from './augmentations.js';
import type { ReadContext } from './context.js';
import { readDataRef } from './data.js';

export interface SettingsRead {
  /** The kind's settings, every one present (defaults filled in), or undefined when one was wrong. */
  settings: Settings | undefined;
  /** The range of each value given, by setting name (`augmentations.0` and deeper for lists). */
  fields: Record<string, Range>;
  /** The settings that were read or defaulted, the wrong and missing ones left out (for a reader that recovers). */
  partial: Settings;
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
        out[k] = typeof s.default === 'object' && s.default !== null ? structuredClone(s.default) : s.default;
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
  return { settings: ok ? out : undefined, fields, partial: out };
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
  const the = `${s.label ?? `The ${k}`} of ${what}`;
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
    case 'names': {
      const items = r.list(e, the);
      const names = items?.map((i, n) => {
        fields[`${k}.${n}`] = i.range;
        return r.name(i, `An item of the ${k} of ${what}`);
      });
      return names?.every((n): n is string => n !== undefined) ? names : undefined;
    }
    case 'numberOrWord':
      return e.kind === 'number' ? e.value : r.oneOf(e, s.noun, s.options);
    case 'shadows':
    case 'target':
      return r.name(e, the);
    case 'data':
      return readDataRef(ctx, e, the);
    case 'augmentations':
      return readAugmentations(ctx, e, fields, k);
    case 'block':
      return readBlock(ctx, e, k, s.settings, what, fields);
    case 'choice':
      return readChoice(ctx, e, k, s, fields);
  }
}

/** The ranges of a nested reading's values, under `key.` in the outer fields. */
function nest(fields: Record<string, Range>, key: string, inner: Record<string, Range>): void {
  for (const [k, range] of Object.entries(inner)) fields[`${key}.${k}`] = range;
}

/** A nested block of settings, `{ patience: 3 }` (or written as a call of its key, `early_stopping { ... }`). */
function readBlock(
  ctx: ReadContext,
  e: Expr,
  k: string,
  schema: Schema,
  what: string,
  fields: Record<string, Range>,
): Settings | undefined {
  const c: CallParts | null =
    e.kind === 'block' ? { name: '', nameRange: e.range, args: [], block: e.block, range: e.range } : callParts(e);
  if (!c || (c.name !== '' && c.name !== k)) {
    const example = Object.entries(schema)
      .map(([n, x]) => `${n}: ${String(x.default ?? '…')}`)
      .join(', ');
    ctx.r.error('E114', `The ${k} of ${what} must be a block such as { ${example} }.`, e.range);
    return undefined;
  }
  const read = readSettings(ctx, c, schema, [], `the ${k} of ${what}`, `The ${k} of ${what}`, c.range);
  nest(fields, k, read.fields);
  return read.settings;
}

/** One of a choice's kinds as a call, `sgd(0.01, momentum: 0.9)`: `{ kind, ...settings }`. */
function readChoice(
  ctx: ReadContext,
  e: Expr,
  k: string,
  s: Extract<Setting, { type: 'choice' }>,
  fields: Record<string, Range>,
): Settings | undefined {
  const c = callParts(e);
  const option: Choice | undefined = c ? s.options.find((o) => o.kind === c.name) : undefined;
  if (!c || !option) {
    const kinds = s.options.map((o) => o.kind);
    const all = s.options.map(usage);
    ctx.r.error(
      s.code,
      `Unknown ${s.noun}${c ? ` "${c.name}"` : ''}.${c ? didYouMean(c.name, kinds) : ''}`,
      c?.nameRange ?? e.range,
      `Use ${all.slice(0, -1).join(', ')}${all.length > 1 ? ' or ' : ''}${all.at(-1) ?? ''}.`,
    );
    return undefined;
  }
  const what = `the ${s.noun} ${c.name}`;
  const read = readSettings(ctx, c, option.settings, option.positional ?? [], what, `The ${s.noun} ${c.name}`, c.range);
  nest(fields, k, read.fields);
  return read.settings ? { kind: option.kind, ...read.settings } : undefined;
}

/**
 * The settings read, each wrongly written one (reported already) at its default, so that the rules still
 * check the others; undefined when one without a default is wrong or missing.
 */
export function withDefaults(schema: Schema, read: SettingsRead): Settings | undefined {
  if (read.settings) return read.settings;
  const out: Settings = {};
  for (const [k, s] of Object.entries(schema)) {
    const v = k in read.partial ? read.partial[k] : s.default;
    if (v === undefined) return undefined;
    out[k] = v;
  }
  return out;
}

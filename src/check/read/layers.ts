/**
 * Layers: each layer kind is a descriptor in ml/layers/ (its settings, positional then named, with
 * their defaults); this reads a layer's call against its kind's settings. A bare activation name
 * (`relu`) is the `activation` layer.
 */
import type { Expr, Range } from '../../lang/index.js';
import type { LayerDef } from '../../kinds/program.js';
import { LAYER_NAMES, type LayerKind, type LayerSetting, layerKind } from '../../ml/layers/index.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';
import { type CallParts, callParts, capitalize, type Param, params } from './expr-reader.js';

export { ACTIVATIONS } from '../../ml/layers/index.js';

export const LAYERS: readonly string[] = LAYER_NAMES;

/** Reading stops: the setting's own E162 message was given. */
const STOP = Symbol('stop');

type Value = number | string | undefined;

/** One setting of a layer: its value as written, its default, or E162 when it has none. */
function readSetting(
  ctx: ReadContext,
  c: CallParts,
  key: string,
  s: LayerSetting,
  p: Map<string, Param>,
  read: Record<string, Value>,
  at: (k: string, range: Range) => void,
): Value | typeof STOP {
  const { r } = ctx;
  const what = `the layer ${c.name}`;
  const v = p.get(key);
  if (s.defaultFrom !== undefined && read[s.defaultFrom] === undefined) return undefined;
  if (!v) {
    if (s.missing !== undefined) {
      r.error('E162', s.missing, c.range);
      return STOP;
    }
    if (s.defaultFrom !== undefined) return read[s.defaultFrom];
    if (s.default === undefined) r.error('E162', `${capitalize(what)} needs a "${key}" setting.`, c.range);
    return s.default;
  }
  if (s.type === 'enum') return r.oneOf(v.value, key, s.options);
  at(key, v.value.range);
  if (s.word !== undefined && v.value.kind === 'ident' && v.value.name === s.word) return s.word;
  return r.number(v.value, s.label ?? `The ${key} of ${what}`, { integer: s.integer, percent: s.percent });
}

/** A layer's settings against its kind: the layer, or undefined after a diagnostic. */
function readSettings(
  ctx: ReadContext,
  c: CallParts,
  kind: LayerKind,
  fields: Record<string, Range>,
  i: number,
): LayerDef | undefined {
  const keys = Object.keys(kind.settings);
  const named = keys.filter((k) => !kind.positional.includes(k));
  const p = params(ctx.r, c, `the layer ${c.name}`, kind.positional, named);
  const at = (k: string, range: Range): void => {
    fields[`layers.${i}.${k}`] = range;
  };
  const read: Record<string, Value> = {};
  for (const k of keys) {
    const v = readSetting(ctx, c, k, kind.settings[k]!, p, read, at);
    if (v === STOP) return undefined;
    read[k] = v;
  }
  if (kind.alias) return kind.alias;
  if (keys.some((k) => read[k] === undefined)) return undefined;
  return { kind: kind.name, ...(read as Record<string, number | string>) };
}

/** One layer of a model's `layers [...]`: a known kind's call (or bare name) with its settings. */
export function readLayer(
  ctx: ReadContext,
  item: Expr,
  fields: Record<string, Range>,
  i: number,
): LayerDef | undefined {
  const { r } = ctx;
  const c = callParts(item);
  if (!c) {
    r.error(
      'E161',
      'A layer must be a layer kind such as dense(128, relu).',
      item.range,
      `Layers: ${LAYERS.join(', ')}.`,
    );
    return undefined;
  }
  const kind = layerKind(c.name);
  if (kind) return readSettings(ctx, c, kind, fields, i);
  r.error(
    'E161',
    `Unknown layer "${c.name}".${didYouMean(c.name, LAYERS)}`,
    c.nameRange,
    `Layers: ${LAYERS.join(', ')}.`,
  );
  return undefined;
}

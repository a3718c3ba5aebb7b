/**
 * Layers: one reader per layer kind, in one table (`LAYER_READERS`); a bare activation name (`relu`) is
 * the `activation` layer. A new layer kind is one entry here (its settings and their defaults), besides
 * its LayerDef case in kinds/program.ts and its build in ml/architecture.ts.
 */
import type { Expr, Range } from '../../lang/index.js';
import type { Activation, LayerDef, Padding } from '../../kinds/program.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';
import { type CallParts, callParts, type Param, params } from './expr-reader.js';

export const ACTIVATIONS = ['relu', 'softmax', 'sigmoid', 'tanh', 'linear'] as const;
const PADDINGS = ['same', 'valid'] as const;

/** What a layer kind's reader is handed: the call, and helpers that record each setting's place. */
interface LayerReading {
  ctx: ReadContext;
  c: CallParts;
  /** `the layer NAME`, for messages. */
  what: string;
  /** The settings as written, positional or named, checked against the kind's names. */
  params: (positional: string[], named: string[]) => Map<string, Param>;
  /** A number setting (integer unless said), its default when absent, or E162 when it has none. */
  num: (
    p: Map<string, Param>,
    k: string,
    dflt?: number,
    opts?: { integer?: boolean; percent?: boolean },
  ) => number | undefined;
  /** The `activation` setting, linear when absent. */
  act: (p: Map<string, Param>) => Activation | undefined;
  /** Records the place of a setting (`layers.I.KEY`). */
  at: (k: string, range: Range) => void;
}

type LayerReader = (l: LayerReading) => LayerDef | undefined;

function readDense({ ctx: { r }, c, params, act, at }: LayerReading): LayerDef | undefined {
  const p = params(['units', 'activation'], []);
  const u = p.get('units');
  if (!u) {
    r.error('E162', 'dense needs a number of units: dense(128, relu).', c.range);
    return undefined;
  }
  at('units', u.value.range);
  const units =
    u.value.kind === 'ident' && u.value.name === 'classes'
      ? ('classes' as const)
      : r.number(u.value, 'The number of units', { integer: true });
  const activation = act(p);
  return units === undefined || !activation ? undefined : { kind: 'dense', units, activation };
}

function readConv2d({ ctx: { r }, params, num, act }: LayerReading): LayerDef | undefined {
  const p = params(['filters', 'kernel'], ['stride', 'padding', 'activation']);
  const filters = num(p, 'filters');
  const kernel = num(p, 'kernel');
  const stride = num(p, 'stride', 1);
  const padE = p.get('padding');
  const padding: Padding | undefined = padE ? r.oneOf(padE.value, 'padding', PADDINGS) : 'valid';
  const activation = act(p);
  if (filters === undefined || kernel === undefined || stride === undefined || !padding || !activation)
    return undefined;
  return { kind: 'conv2d', filters, kernel, stride, padding, activation };
}

const readPool =
  (kind: 'max_pool' | 'avg_pool'): LayerReader =>
  ({ params, num }) => {
    const p = params(['size', 'stride'], []);
    const size = num(p, 'size', 2);
    const stride = size === undefined ? undefined : num(p, 'stride', size);
    if (size === undefined || stride === undefined) return undefined;
    return { kind, size, stride };
  };

const readBare =
  (kind: 'flatten' | 'batch_norm'): LayerReader =>
  ({ params }) => {
    params([], []);
    return { kind };
  };

function readDropout({ params, num }: LayerReading): LayerDef | undefined {
  const p = params(['rate'], []);
  const rate = num(p, 'rate', undefined, { percent: true });
  return rate === undefined ? undefined : { kind: 'dropout', rate };
}

function readActivation({ ctx: { r }, c, params }: LayerReading): LayerDef | undefined {
  const v = params(['activation'], []).get('activation');
  if (!v) {
    r.error('E162', 'activation needs an activation function: activation(relu).', c.range);
    return undefined;
  }
  const a = r.oneOf(v.value, 'activation', ACTIVATIONS);
  return a ? { kind: 'activation', activation: a } : undefined;
}

/** A bare activation name as a layer: `relu` is `activation(relu)`. */
const readNamedActivation =
  (activation: Activation): LayerReader =>
  ({ params }) => {
    params([], []);
    return { kind: 'activation', activation };
  };

/** Every layer kind's reader, in the order messages list them. */
export const LAYER_READERS: Readonly<Record<string, LayerReader>> = {
  dense: readDense,
  conv2d: readConv2d,
  max_pool: readPool('max_pool'),
  avg_pool: readPool('avg_pool'),
  flatten: readBare('flatten'),
  dropout: readDropout,
  batch_norm: readBare('batch_norm'),
  activation: readActivation,
  ...Object.fromEntries(ACTIVATIONS.map((a) => [a, readNamedActivation(a)])),
};

export const LAYERS: readonly string[] = Object.keys(LAYER_READERS);

/** The helpers a reader gets, recording places under `layers.I`. */
function reading(ctx: ReadContext, c: CallParts, fields: Record<string, Range>, i: number): LayerReading {
  const { r } = ctx;
  const what = `the layer ${c.name}`;
  const at = (k: string, range: Range): void => {
    fields[`layers.${i}.${k}`] = range;
  };
  const num: LayerReading['num'] = (p, k, dflt, opts = { integer: true }) => {
    const v = p.get(k);
    if (!v) {
      if (dflt === undefined)
        r.error('E162', `${what[0]!.toUpperCase()}${what.slice(1)} needs a "${k}" setting.`, c.range);
      return dflt;
    }
    at(k, v.value.range);
    return r.number(v.value, `The ${k} of ${what}`, opts);
  };
  const act = (p: Map<string, Param>): Activation | undefined => {
    const v = p.get('activation');
    return v ? r.oneOf(v.value, 'activation', ACTIVATIONS) : 'linear';
  };
  return { ctx, c, what, params: (pos, named) => params(r, c, what, pos, named), num, act, at };
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
  const read = Object.hasOwn(LAYER_READERS, c.name) ? LAYER_READERS[c.name] : undefined;
  if (read) return read(reading(ctx, c, fields, i));
  r.error(
    'E161',
    `Unknown layer "${c.name}".${didYouMean(c.name, LAYERS)}`,
    c.nameRange,
    `Layers: ${LAYERS.join(', ')}.`,
  );
  return undefined;
}

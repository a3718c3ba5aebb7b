/**
 * A layer kind as a descriptor: its name, its settings (positional first, then named), how it builds
 * (tfjs-layers), the shape it leaves, and what the checker needs to know (images only). The reader
 * (check/read/layers.ts), the plan's shape check (plan/model-shape.ts) and the builder
 * (ml/architecture.ts) read these; a new layer kind is its file plus one line in ./index.ts.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LayerDef } from '../../kinds/program.js';
import type { Bound } from '../../kinds/schema.js';

/** One setting of a layer: a number or one of some words, with what the reader says about it. */
export type LayerSetting = (
  | { type: 'number'; integer?: boolean; percent?: boolean; default?: number }
  | { type: 'enum'; options: readonly string[]; default?: string }
) & {
  doc: string;
  /** When absent, the value of this other (earlier) setting: a pool's stride is its size. */
  defaultFrom?: string;
  /** A word written in place of the number (`classes`). */
  word?: string;
  /** How messages name the value (`The number of units`); else `The KEY of the layer NAME`. */
  label?: string;
  /** The E162 message when it is missing (reading stops there); else `The layer NAME needs a "KEY" setting.` */
  missing?: string;
  /**
   * The range a number must lie in: at least 1 is E111 (`The KEY of KIND must be at least 1`), any
   * other bound E117; `boundLabel` names the value instead of `The KEY of KIND`.
   */
  bound?: Bound;
  boundLabel?: string;
  /** E118: the most mia allows (kinds/size-limits.ts), and how the message names it (`width`). */
  limit?: { max: number; label: string };
};

/** What a layer's build gets besides its settings. */
export interface BuildContext {
  /** `{ inputShape }` for the model's first tfjs layer, `{}` after. */
  input(): { inputShape?: number[] };
  /** A seeded glorot-uniform kernel initializer (each call takes the next seed). */
  kernelInit(): ReturnType<typeof tfl.initializers.glorotUniform>;
  /** The next seed of the model's sequence. */
  nextSeed(): number;
  /** The rank of the records reaching this layer (3 for images until a flatten or dense). */
  rank: number;
  classes: number;
  /** Whether this is the model's last layer, and the last of its kind. */
  last: boolean;
  lastOfKind: boolean;
}

/** The window a convolution or pooling layer slides over an image. */
export interface Window {
  size: number;
  stride: number;
  padding: 'same' | 'valid';
}

export interface LayerKind {
  name: string;
  /** One line for the README. */
  summary: string;
  /** The settings, in the order they are read and stored; `positional` names those written by place. */
  settings: Readonly<Record<string, LayerSetting>>;
  positional: readonly string[];
  /** The layer this name stands for, with no settings of its own (`relu` is `activation(relu)`). */
  alias?: LayerDef;
  /** Has a weight matrix (dense, conv2d): the dropout defense adds dropout after each hidden one. */
  weighted?: boolean;
  /** Needs images (height, width, channels): conv2d, pooling. */
  images?: boolean;
  /** The window slid over the image, for the plan's shape check. */
  window?(l: LayerDef): Window;
  /** The shape of one record after this layer (`classes` 0 at plan time); the same shape when absent. */
  shape?(l: LayerDef, input: readonly number[], classes: number): number[];
  /** Its trainable and non-trainable parameters, for the memory estimate (none when absent). */
  params?(l: LayerDef, input: readonly number[], classes: number): number;
  /** The tfjs layers it adds, and the rank it leaves when it changes it. */
  build(l: LayerDef, ctx: BuildContext): tfl.layers.Layer[];
  rankAfter?: number;
}

export const defineLayer = (k: LayerKind): LayerKind => k;

/** A number setting of a layer (its reader made sure of the type). */
export const num = (l: LayerDef, k: string): number => l[k] as number;

/** A string setting of a layer. */
export const str = (l: LayerDef, k: string): string => l[k] as string;

/** The output size along one axis: valid padding gives ⌊(n − k) / s⌋ + 1, same gives ⌈n / s⌉. */
export const outSize = (n: number, w: Window): number =>
  w.padding === 'same' ? Math.ceil(n / w.stride) : Math.floor((n - w.size) / w.stride) + 1;

export const ACTIVATIONS = ['relu', 'softmax', 'sigmoid', 'tanh', 'linear'] as const;

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
export { size as recordSize };

/** The `activation` setting, linear when absent. */
export const activationSetting: LayerSetting = {
  type: 'enum',
  options: ACTIVATIONS,
  default: 'linear',
  doc: 'The activation function.',
};

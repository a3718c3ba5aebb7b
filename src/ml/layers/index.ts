/** The layer kinds: one descriptor each, in its own file, and one line here (in the order messages list them). */
import { activation, NAMED_ACTIVATIONS } from './activation.js';
import { avgPool } from './avg-pool.js';
import { batchNorm } from './batch-norm.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { gaussianNoise } from './gaussian-noise.js';
import type { LayerDef } from '../../kinds/program.js';
import type { LayerKind, LayerSetting } from './layer.js';
import { maxPool } from './max-pool.js';

export const LAYER_KINDS: readonly LayerKind[] = [
  dense,
  conv2d,
  maxPool,
  avgPool,
  flatten,
  dropout,
  batchNorm,
  activation,
  gaussianNoise,
  ...NAMED_ACTIVATIONS,
];

const byName = new Map(LAYER_KINDS.map((k) => [k.name, k]));

/** The descriptor of a layer kind (or of a bare activation name), undefined when unknown. */
export const layerKind = (name: string): LayerKind | undefined => byName.get(name);

/** A layer's number settings with their descriptions, in its kind's order (`classes` and words left out). */
export function numberSettings(l: LayerDef): { key: string; setting: LayerSetting; value: number }[] {
  const settings = layerKind(l.kind)?.settings ?? {};
  return Object.entries(settings).flatMap(([key, setting]) => {
    const value = l[key];
    return setting.type === 'number' && typeof value === 'number' ? [{ key, setting, value }] : [];
  });
}

/** The names a layer may have, in the order messages list them. */
export const LAYER_NAMES: readonly string[] = LAYER_KINDS.map((k) => k.name);

export type { BuildContext, LayerKind, LayerSetting } from './layer.js';
export { ACTIVATIONS, defineLayer } from './layer.js';

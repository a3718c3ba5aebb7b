/**
 * The settings of a model's `train { ... }` block: one descriptor each, in its own file, and one line
 * here (in the order messages list them). From them: the block's schema, the TrainDef a reading gives,
 * the settings of a TrainDef (for the bound rules and the sweep), and the gradient transforms of a step.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainDef } from '../../kinds/program.js';
import type { Schema, Settings, SettingValue } from '../../kinds/schema.js';
import { batch } from './batch.js';
import { earlyStopping } from './early-stopping.js';
import { epochs } from './epochs.js';
import { gradClip } from './grad-clip.js';
import { l2 } from './l2.js';
import { labelSmoothing } from './label-smoothing.js';
import { optimizer } from './optimizer.js';
import { fieldOf, type TrainSettingKind } from './setting.js';

export const TRAIN_SETTINGS: readonly TrainSettingKind[] = [
  optimizer,
  epochs,
  batch,
  l2,
  earlyStopping,
  labelSmoothing,
  gradClip,
];

/** The `train { ... }` block's schema, keyed as written. */
export const TRAIN_SCHEMA: Schema = Object.fromEntries(TRAIN_SETTINGS.map((k) => [k.key, k.setting]));

/** The TrainDef of settings read against TRAIN_SCHEMA (an optional setting not written is left out). */
export function trainDefOf(settings: Settings): TrainDef {
  const out: Record<string, SettingValue> = {};
  for (const k of TRAIN_SETTINGS) {
    const v = settings[k.key];
    if (v === undefined || (v === null && k.optional)) continue;
    out[fieldOf(k.key)] = v;
  }
  return out as unknown as TrainDef;
}

/** A TrainDef's settings keyed as written (what the bound rules check and a sweep sets). */
export function trainSettingsOf(def: TrainDef): Settings {
  const d = def as unknown as Record<string, SettingValue | undefined>;
  const out: Settings = {};
  for (const k of TRAIN_SETTINGS) {
    const v = d[fieldOf(k.key)];
    if (v !== undefined) out[k.key] = v;
  }
  return out;
}

/** Sets one training setting (keyed as written) of a TrainDef, in place. */
export function setTrainSetting(def: TrainDef, key: string, v: SettingValue): void {
  (def as unknown as Record<string, SettingValue>)[fieldOf(key)] = v;
}

/** The gradient transforms of the settings a TrainDef gives, composed in the list's order (identity when none). */
export function gradientTransform(def: TrainDef): ((grads: tf.Tensor[]) => tf.Tensor[]) | null {
  const d = def as unknown as Record<string, SettingValue | undefined>;
  const steps = TRAIN_SETTINGS.flatMap((k) => {
    const v = d[fieldOf(k.key)];
    return k.gradients && v !== undefined && v !== null ? [(g: tf.Tensor[]) => k.gradients!(g, v)] : [];
  });
  return steps.length ? (grads) => steps.reduce((g, step) => step(g), grads) : null;
}

export { defineTrainSetting, fieldOf, type TrainSettingKind } from './setting.js';

/**
 * A training setting as a descriptor: its key in a model's `train { ... }` block, its schema (read by the
 * checker's generic reader, bounded by its rules, swept as `MODEL.KEY`, printed in the README's table),
 * and, for settings that change each step, how. A new training setting is its file plus one line in
 * ./index.ts. In the TrainDef it is the camelCase of its key (`label_smoothing` → `labelSmoothing`).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Setting, SettingValue } from '../../kinds/schema.js';

export interface TrainSettingKind {
  key: string;
  setting: Setting;
  /**
   * Left out of the TrainDef when it is not written (its default is null), so that models which do not
   * use it keep the train jobs' hashes they had before it existed.
   */
  optional?: true;
  /** With a value given: each step's gradients (one per trainable weight, in order) before the optimizer update. */
  gradients?(grads: tf.Tensor[], value: SettingValue): tf.Tensor[];
}

export const defineTrainSetting = <K extends TrainSettingKind>(k: K): K => k;

/** The TrainDef field of a key: `label_smoothing` → `labelSmoothing`. */
export const fieldOf = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

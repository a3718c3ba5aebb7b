/**
 * The defense descriptor: one object per defense kind. Training-time defenses change how the target
 * trains (a training hook); output-time ones change what it releases per query (the release
 * transform, src/attacks/release.ts). The checker reads settings through the schema; the run gate
 * refuses a defense without `apply` ("not supported by mia run yet"). A new defense is its file plus
 * one line in index.ts.
 */
import type { Release, TrainDef } from '../check/program.js';
import type { Schema, Settings, SettingsOf } from '../kinds/schema.js';

export type DefenseStage = 'training' | 'output';

/** How a training-time defense changes the target's training (DP-SGD, regularisers), once wired in. */
export interface TrainingHook {
  train(t: TrainDef): TrainDef;
}

export interface DefenseDescriptor<S extends Schema> {
  kind: string;
  summary: string;
  stage: DefenseStage;
  settings: S;
  positional?: readonly string[];
  /** Output-time: what the target releases under this defense. */
  release?(s: SettingsOf<S>): Release;
  /** Its implementation in `mia run`; absent while runs refuse it. */
  apply?(s: SettingsOf<S>): TrainingHook | null;
}

export interface AnyDefense {
  kind: string;
  summary: string;
  stage: DefenseStage;
  settings: Schema;
  positional?: readonly string[];
  release?(s: Settings): Release;
  apply?(s: Settings): TrainingHook | null;
}

export const defineDefense = <const S extends Schema>(d: DefenseDescriptor<S>): DefenseDescriptor<S> => d;

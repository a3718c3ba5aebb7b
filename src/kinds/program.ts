/**
 * The typed program: what the checker makes of a parsed `.mia` file. Every definition keeps the
 * source range it came from, so later phases can point at it. This file is the contract between
 * the checker and everything after it (plan, run, attacks).
 */
import type { Settings } from './schema.js';
import type { Range } from '../lang/index.js';
import type { ExpectationDef } from './expectations.js';

/** Where a definition was declared: its file (the main file or an imported one) and its range there. */
export interface Located {
  file: string;
  range: Range;
}

/** A definition without its place (what a job's hash covers). Distributes over unions. */
export type Unlocated<T> = T extends unknown ? Omit<T, 'range' | 'file'> : never;

// ---------------------------------------------------------------- data

/** A data source: its kind names a registered descriptor (src/data/sources/), its settings follow that schema. */
export interface DatasetSource {
  kind: string;
  settings: Settings;
}

export interface DatasetDef extends Located {
  name: string;
  source: DatasetSource;
}

/** A derived subset: `digits.take(1000)`, `digits.rest`, `digits.sample(500)`, `digits.classes([0, 1])`. */
export type DataOp =
  | { op: 'take'; n: number } // the next n records no other `take` of this dataset claims
  | { op: 'rest' } // every record no `take` of this dataset claims
  | { op: 'taken' } // every record the `take`s of this dataset claim (the dual of rest)
  | { op: 'sample'; n: number } // n records drawn at random from the whole dataset (may overlap takes)
  | { op: 'members' } // the records a CSV's membership column marks as members (file order)
  | { op: 'nonmembers' } // the records it marks as non-members (file order)
  | { op: 'classes'; classes: number[] }; // only records of these classes

export interface DataRef extends Located {
  dataset: string;
  ops: DataOp[];
}

// ---------------------------------------------------------------- models

export type Activation = 'relu' | 'softmax' | 'sigmoid' | 'tanh' | 'linear';
export type Padding = 'same' | 'valid';

/**
 * One layer: its kind (a descriptor in ml/layers/) and its settings, flat, in the order the kind
 * declares them (the plan's hashes read them in that order): dense(128, relu) is `{ kind, units: 128, activation }`.
 */
export type LayerDef = { readonly kind: string; readonly [setting: string]: number | string };

/** The optimizer: its kind names a descriptor (src/ml/optimizers/), its settings follow, flat; every kind has a rate. */
export type OptimizerDef = {
  readonly kind: string;
  readonly rate: number;
  readonly [setting: string]: number | string;
};

/**
 * A model's training settings (each a descriptor in src/ml/train-settings/, its field the camelCase of
 * its key). The ones every model has are named here; a setting added since is read from the index.
 */
export interface TrainDef {
  optimizer: OptimizerDef;
  epochs: number;
  batch: number;
  l2: number; // 0: none
  earlyStopping: { patience: number; validation: number } | null; // validation: held-out fraction of the training set
  labelSmoothing: number; // 0: none
  readonly [setting: string]: unknown;
}

export interface ModelDef extends Located {
  name: string;
  layers: LayerDef[];
  train: TrainDef;
}

// ---------------------------------------------------------------- defenses

/** A defense: its kind names a registered descriptor (src/defenses/), its settings follow that schema. */
export interface DefenseDef extends Located {
  kind: string;
  settings: Settings;
}

/** What the target releases per query, after output-time defenses (composed in order: src/kinds/output-release.ts). */
export type { Release, ReleaseForm, ReleaseStep } from './output-release.js';

// ---------------------------------------------------------------- targets

/**
 * Audit canaries of a target (Steinke, Nasr & Jagielski 2023): each record of `data` is put in the
 * target's training set with probability 1/2 (seeded); `mislabel` gives each a seeded random wrong
 * label (trained and queried with it); `repeat` puts an included canary that many times in the training set.
 * Its settings are descriptors (src/kinds/canary-settings/), each under its key; a setting added since is read by it.
 */
export interface CanariesDef extends Located {
  data: DataRef;
  mislabel: boolean;
  repeat: number;
  readonly [setting: string]: unknown;
}

/** A target of any kind, with its audit canaries when it has some. */
export type TargetDef = TargetBody & { canaries?: CanariesDef };

type TargetBody =
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
      /** What the model outputs, where its file cannot tell (`output: logits | probabilities`). */
      output?: 'logits' | 'probabilities';
      members: DataRef;
      nonmembers: DataRef;
      defenses: DefenseDef[];
    })
  | (Located & {
      kind: 'onnx';
      name: string;
      /** The .onnx file, relative to the spec's folder. */
      path: string;
      /** What the model outputs, where its graph cannot tell (a final Softmax: probabilities). */
      output?: 'logits' | 'probabilities';
      /** How an image record is fed, where the model's input shape cannot tell. */
      layout?: 'nchw' | 'nhwc';
      members: DataRef;
      nonmembers: DataRef;
      defenses: DefenseDef[];
    })
  | (Located & {
      kind: 'remote';
      name: string;
      url: string;
      output: 'probabilities' | 'logits' | 'labels' | 'top_k' | 'scores';
      /** With output top_k(K): how many classes the API returns per record. */
      k?: number;
      /** Request headers whose values come from environment variables (`headers: { Authorization: env("VAR") }`). */
      headers?: RemoteHeader[];
      /** Seconds one request may take, its answer read in full (60 when absent). */
      timeout?: number;
      /** How fast mia asks: requests in flight at once, requests a second (not part of any hash). */
      pace?: RemotePace;
      /** How many records mia may send to the API in all (augmented copies count one each). */
      budget: number;
      members: DataRef;
      nonmembers: DataRef;
      defenses: DefenseDef[];
    });

/** How fast mia queries an API: answers do not depend on it (they are placed by record, not arrival). */
export interface RemotePace {
  /** Requests in flight at once (4 when absent). */
  concurrency?: number;
  /** Requests a second at most (no limit when absent). */
  rate?: number;
}

/** A remote target's header: its name on the wire and the environment variable holding its value (never the value). */
export interface RemoteHeader {
  name: string;
  env: string;
  range: Range;
}

// ---------------------------------------------------------------- shadow / reference models

/**
 * overlapping: each model draws its own random 2×size records (in, then out) from the pool;
 * disjoint: no pool record serves more than one model;
 * half: every pool record is in the training set of exactly half the models (online LiRA, RMIA).
 */
export type Sampling = 'overlapping' | 'disjoint' | 'half';

/** Shadow models mia trains from a declared architecture: `shadows refs { model, count, pool, size, ... }`. */
export interface TrainedShadowsDef extends Located {
  /** Absent: the source of every shadow set before reference models from files (results and hashes read it so). */
  source?: undefined;
  name: string;
  model: string;
  count: number;
  pool: DataRef;
  size: number; // training records per shadow model; as many again are held out
  sampling: Sampling;
  /** mimic (default): each model trains with the training-time defenses of the target it is compared with; none: never. */
  defenses: 'mimic' | 'none';
}

/**
 * Reference models the user trained, as ONNX files: `shadows refs = onnx_models("refs/*.onnx") { in, pool }`.
 * `in` is a .npy 0/1 matrix (models × records): in[m][j] = 1 when model m (the files in order) trained
 * on the pool's record j (the records of the pool, or of the targets' dataset, in file order).
 */
export interface OnnxShadowsDef extends Located {
  source: 'onnx_models';
  name: string;
  /** One glob (`*`, `?` in the file name; matched in its folder, sorted by name) or a list of files, relative to the spec. */
  models: string | string[];
  in: string;
  /** A whole dataset whose records are the mask's columns; absent: the targets' dataset (members, then non-members). */
  pool?: DataRef;
  output?: 'logits' | 'probabilities';
  layout?: 'nchw' | 'nhwc';
}

/** A shadow (reference) model set, by its source (src/check/read/shadow-sources/, one file each). */
export type ShadowsDef = TrainedShadowsDef | OnnxShadowsDef;

/** The shadow sets mia trains itself (the settings count, size, sampling and model are theirs). */
export const trainedShadows = (xs: readonly ShadowsDef[]): TrainedShadowsDef[] =>
  xs.filter((s): s is TrainedShadowsDef => s.source === undefined);

/** How many models a set has, where the spec alone tells (a glob's files are counted when the plan is made). */
export const shadowCount = (s: ShadowsDef): number | undefined =>
  s.source === undefined ? s.count : Array.isArray(s.models) ? s.models.length : undefined;

// ---------------------------------------------------------------- attacks

export type Signal = 'loss' | 'confidence' | 'entropy' | 'modified_entropy';

/** Label-only augmentations: image ones need image data; flip_bits needs binary tabular features. */
export type Augmentation =
  | { kind: 'rotate'; degrees: number } // rotations of ±degrees
  | { kind: 'translate'; pixels: number } // translations of ±pixels
  | { kind: 'flip_bits'; count: number; max: number }
  | { kind: 'noise'; sigma: number; queries: number }
  /** Probes along `directions` random unit directions at `steps` radii up to `radius` (boundary_distance's). */
  | { kind: 'ray'; radius: number; directions: number; steps: number };

/**
 * An attack: its kind names a registered descriptor (src/attacks/kinds/), whose schema the settings
 * were read and checked against; the descriptor's `SettingsOf<typeof schema>` is their typed form.
 */
export interface AttackDef extends Located {
  kind: string;
  name: string;
  settings: Settings;
}

export type AttackKind = string;

// ---------------------------------------------------------------- sweep and report

export interface SweepAxisDef extends Located {
  path: string[];
  values: (number | string)[];
}

/** The metrics named without a level (the other one is `tpr@LEVEL`): the report block's and expectations' one list. */
export const PLAIN_METRICS = ['auc', 'balanced_accuracy', 'advantage', 'precision', 'recall'] as const;

export type MetricSpec = { kind: 'tprAtFpr'; fpr: number } | { kind: (typeof PLAIN_METRICS)[number] };

export type PlotSpec = { kind: 'roc'; scale: 'linear' | 'log' } | { kind: 'histogram' };

/** How an audit picks the threshold of its rule: given, the best of all (Bonferroni), or chosen on one half. */
export type AuditThreshold = { kind: 'bonferroni' } | { kind: 'split' } | { kind: 'given'; threshold: number };

/** `audit { attacks [..], confidence, delta, threshold, methods [..] }` in the report: ε lower bounds from canaries. */
export interface AuditDef extends Located {
  /** The attacks whose canary scores are audited (every attack when the block names none). */
  attacks: string[];
  confidence: number;
  delta: number;
  threshold: AuditThreshold;
  methods: string[];
}

/** `range`: where the report is declared (absent when the file has no report and the defaults apply). */
/** A slice of the results: by true class, or by a column of a table (`report { slices [class, "sex"] }`). */
export type SliceDef = ({ by: 'class' } | { by: 'column'; column: string }) & { file: string; range: Range };

export interface ReportDef {
  metrics: MetricSpec[];
  plots: PlotSpec[];
  /** `slices [...]` as declared, plus the columns expectations name (class slices are always computed); absent when none. */
  slices?: SliceDef[];
  audit?: AuditDef;
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

/** The execution plan: a DAG of typed jobs, each with a content hash of everything that determines its output. */
import type { AttackDef, Augmentation, DefenseDef, ModelDef, Release, Unlocated } from '../check/index.js';
import type { PrivacyRecord } from '../defenses/defense.js';

export type ModelSpec = Omit<ModelDef, 'range' | 'file'>;

export interface TrainSpec {
  kind: 'train';
  role: 'target' | 'shadow';
  owner: string; // target or shadow-set name
  index: number; // shadow model number (0 for a target)
  model: ModelSpec;
  dataset: string;
  trainIdx: number[];
  /** With early stopping: records held out of trainIdx's draw to watch the validation loss on (absent otherwise). */
  validationIdx?: number[];
  /** Mislabelled canaries: these records are trained on with label (y + shift) mod classes (absent otherwise). */
  relabel?: Relabel;
  /** Training-time defenses whose descriptor replaces the training loop (DP-SGD, adversarial regularisation); absent otherwise. */
  trainer?: Unlocated<DefenseDef>;
  /** The defender's reference records, when the trainer asks for them (absent otherwise). */
  referenceIdx?: number[];
  /** A synthesize job's id: trainIdx then index its synthetic records, not the dataset's (absent otherwise). */
  data?: string;
  seed: number;
}

/**
 * Synthesises shadow data (Shokri et al. V.C) by the source descriptor's `synthesis`: from the
 * statistics of `statistics` (records of `dataset`) and/or by querying the model of job `model`
 * through what its target releases. Its records have `dataset`'s shape and classes.
 */
export interface SynthesizeSpec {
  kind: 'synthesize';
  dataset: string;
  /** The synthesised dataset's declaration: its name and source (without places). */
  name: string;
  source: { kind: string; settings: import('../kinds/schema.js').Settings };
  statistics: number[] | null;
  model: string | null /* train or import job id of the target it queries */;
  release: Release | null;
  seed: number;
}

/**
 * An output perturbation with state of its own (MemGuard): the target's answers on every record,
 * perturbed by the defense's descriptor given the members and the defender's reference records. Its
 * output is a query output (log-probabilities), so attacks read it like the target's own answers.
 */
export interface PerturbSpec {
  kind: 'perturb';
  dataset: string;
  model: string /* query job id */;
  defense: Unlocated<DefenseDef>;
  members: number[];
  reference: number[];
  /** The records perturbed: the candidates and every attack's population (the others are never read). */
  queried: number[];
  seed: number;
}

/** Records whose label is replaced by (y + shift) mod classes: mislabelled audit canaries. */
export interface Relabel {
  record: number[];
  shift: number[];
}

/** Loads an imported target's model.json (and weight files) and checks it fits the data; outputs it as a trained model. */
export interface ImportSpec {
  kind: 'import';
  dataset: string;
  /** The model.json, absolute. */
  path: string;
  /** sha256 of the model files' content (so a replaced model re-runs); the worker refuses other bytes. */
  files: string;
  /** What the model outputs (its file's final activation, or the target's `output`). */
  output: 'logits' | 'probabilities';
}

/**
 * Answers of an ONNX model (a target's, or a reference model's from a file) on every record of the
 * dataset, run by onnxruntime: a query output. The file's sha256 is in `model`; the job refuses other bytes.
 */
export interface OnnxQuerySpec {
  kind: 'onnx_query';
  dataset: string;
  /** The .onnx file, absolute. */
  path: string;
  model: import('../ml/onnx-model.js').OnnxFacts;
  /** Answer on augmented copies of every record instead (as an augment_query job makes them), with their seed. */
  augmentations?: Augmentation[];
  seed?: number;
}

/** What a remote API answers per record (src/run/remote-answers.ts reads each kind). */
export type RemoteOutput = 'probabilities' | 'logits' | 'labels' | 'top_k' | 'scores';

/** A remote target's API as its jobs see it: what their hash covers, and no secret. */
export interface RemoteApi {
  /** An http(s) url without credentials (refused at plan time). */
  url: string;
  output: RemoteOutput;
  /** With top_k: how many classes each answer gives. */
  k?: number;
  /** Header name → the environment variable holding its value, read when querying (the value is never stored). */
  headers?: Record<string, string>;
  /** Seconds one request may take, its answer read in full (60 when absent). */
  timeout?: number;
  /** Requests in flight and a second: how fast, not what, so no job's hash covers it (compile-common.ts). */
  pace?: import('../kinds/program.js').RemotePace;
}

/**
 * A remote target's answers (src/run/remote-api.ts) on the records attacks read, or on augmented copies of
 * them: its output is a query (or augmented query) output whose other rows are NaN, never read.
 */
export interface RemoteQuerySpec {
  kind: 'remote_query';
  dataset: string;
  /** The remote target's name (its budget counts these records). */
  target: string;
  api: RemoteApi;
  /** The records sent, ascending. */
  records: number[];
  /** Augmented copies of each record (as an augment_query job makes them), and their seed; absent: the records. */
  augmentations?: Augmentation[];
  seed?: number;
}

export interface QuerySpec {
  kind: 'query';
  dataset: string;
  model: string /* train (or import) job id */;
  /** An imported model's file, named when its answers are not finite numbers (absent otherwise). */
  file?: string;
  /** A synthesize job's id: the model is asked about the dataset's records, then the synthetic ones (absent otherwise). */
  data?: string;
}

/**
 * Queries a trained model on augmented copies of every record of the dataset (see data/augment.ts):
 * label-only augmentation and noise attacks, LiRA with augmented queries.
 */
export interface AugmentQuerySpec {
  kind: 'augment_query';
  dataset: string;
  model: string /* train job id */;
  augmentations: Augmentation[];
  seed: number;
}

export interface ShadowInput {
  name: string;
  /** In and out records index the dataset's records then, from its size on, the synthetic ones of `data`. */
  models: { query: string; inIdx: number[]; outIdx: number[] }[];
  /** The synthesize job whose records the models trained on (absent: the target's dataset's records). */
  data?: string;
}

export interface AttackJobSpec {
  kind: 'attack';
  attack: Unlocated<AttackDef>;
  dataset: string;
  target: string; // query job id of the target
  candidates: number[];
  shadows: ShadowInput[];
  /** What the target releases: the attack sees the target's outputs through this only. */
  release: Release;
  /** Population records z (RMIA, the population attack); never candidates. */
  population: number[];
  /** augment_query job ids: the target's, and each shadow set's per model; null without augmentations. */
  augmented: { target: string; shadows: { name: string; queries: string[] }[] } | null;
  /** Seed of the attack's own randomness (attack classifiers), derived from the experiment seed. */
  seed: number;
  /** Mislabelled canaries among the candidates: the attack scores them at their training label. */
  relabel?: Relabel;
}

/** Metrics of one attack's scores (with bootstrap intervals and per class); cached like any job. */
export interface EvaluateSpec {
  kind: 'evaluate';
  dataset: string;
  attack: string; // attack job id
  candidates: number[]; // the scored records: members first
  members: number; // how many of the candidates are members
  fprLevels: number[];
  seed: number; // of the bootstrap
  /** ε lower bounds from the canaries' scores: the attack's scores after the candidates, `in` canaries first. */
  audit?: AuditJobSpec;
}

export interface AuditJobSpec {
  in: number;
  out: number;
  delta: number;
  confidence: number;
  threshold: { kind: 'bonferroni' } | { kind: 'split'; seed: number } | { kind: 'given'; threshold: number };
  methods: string[];
}

export type JobSpec =
  | SynthesizeSpec
  | TrainSpec
  | ImportSpec
  | QuerySpec
  | RemoteQuerySpec
  | OnnxQuerySpec
  | AugmentQuerySpec
  | PerturbSpec
  | AttackJobSpec
  | EvaluateSpec;

export interface Job {
  id: string; // readable and unique: "train/shadow/refs/3" (in a sweep where points differ: "train/shadow/refs/3@1a2b3c4d")
  label: string; // for people: "train shadow refs #3" (ids and labels both count from 0)
  deps: string[]; // ids of the jobs whose outputs it needs
  /** The name under which the spec refers to each dep (same order); runJob's inputs are keyed by these. */
  inputs: string[];
  hash: string; // sha256 of its spec, its inputs' hashes, the backend and its kind's code version
  spec: JobSpec;
}

export interface DatasetInfo {
  name: string;
  source: { kind: string; settings?: import('../kinds/schema.js').Settings };
  n: number;
  classes: number;
  shape: number[];
  /** Every record's label: the planner filters subsets by class with them (not part of the plan). */
  labels?: Int32Array;
  /** Per record, 1 member and 0 non-member, from a CSV's membership column (for `d.members`; not part of the plan). */
  membership?: Uint8Array;
  /** Where its files are read from (the spec's folder, the cache of parsed files) and the key of their parse. */
  context?: import('../data/source.js').SourceContext;
  /** What reading it found: rows read, dropped, filled in (printed by mia run). */
  notes?: string[];
  /** The datasets whose records it holds one after the other (a target's members and non-members as two datasets). */
  parts?: import('../data/load.js').SourceRef[];
  /** A synthesised source (shadow data): made by a synthesize job, its records shaped as those of `base`. */
  synthetic?: { base: string };
}

/** What a dataset's loaded records depend on (name, source, content key, folders): its identity across runs. */
export const datasetIdentity = (info: DatasetInfo): string => JSON.stringify(info);

export interface TargetPlan {
  name: string;
  train: string;
  /** The query job attacks read: the target's answers, after any output perturbation (MemGuard). */
  query: string;
  /** A remote target: how many records the plan sends to its API (each augmented copy counts one). */
  queries?: number;
  /** The defenses applied, in source order (absent when none). */
  defenses?: string[];
  /** DP-SGD's accounting (absent without it). */
  privacy?: PrivacyRecord;
  dataset: string;
  members: number[];
  nonmembers: number[];
  /** The audit canaries, split by the seeded draw into those trained on (`in`) and those not (`out`). */
  canaries?: CanaryPlan;
}

export interface CanaryPlan {
  in: number[];
  out: number[];
  mislabel: boolean;
  repeat: number;
  relabel?: Relabel;
}

export interface AttackPlan {
  name: string;
  kind: AttackDef['kind'];
  job: string;
  evaluate: string;
}

/** Shadow data a run's attacks use that a synthesize job made: results.json records what it spent. */
export interface SynthesisPlan {
  dataset: string;
  kind: string;
  job: string;
  records: number;
  /** The target it queries, and at most how many queries (absent when it queries none). */
  target?: string;
  budget?: number;
}

/** One target at one point of the sweep (one without a sweep): its settings and the jobs giving its results. */
export interface RunPlan {
  params: Record<string, number | string>; // e.g. { "refs.count": 5 }; {} without a sweep
  seed: number;
  target: TargetPlan;
  attacks: AttackPlan[];
  /** Synthesised shadow data its attacks use (absent when none). */
  synthesis?: SynthesisPlan[];
  /** The report's audit, when it has one: which attacks' evaluate jobs carry ε lower bounds. */
  audit?: AuditPlan;
}

export interface AuditPlan {
  attacks: string[];
  confidence: number;
  delta: number;
  threshold: string;
  methods: string[];
}

export interface Plan {
  experiment: string;
  seed: number;
  backend: string;
  datasets: DatasetInfo[];
  metrics: import('../check/index.js').MetricSpec[];
  /** Jobs in a topological order: every job comes after its dependencies. Points of a sweep share jobs. */
  jobs: Job[];
  runs: RunPlan[];
  /** The columns results are sliced by besides the true class (`report { slices ["sex"] }`); absent when none. */
  slices?: string[];
  /**
   * The values of those columns as the planner read them to check them, per `JSON.stringify([dataset,
   * column])` (null: the dataset has no such column); the run slices its results by these, reading no file again.
   */
  sliceValues?: ReadonlyMap<string, readonly string[] | null>;
}

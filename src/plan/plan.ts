/** The execution plan: a DAG of typed jobs, each with a content hash of everything that determines its output. */
import type { AttackDef, Augmentation, ModelDef, Release, Unlocated } from '../check/index.js';

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
  seed: number;
}

export interface QuerySpec {
  kind: 'query';
  dataset: string;
  model: string /* train job id */;
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
  models: { query: string; inIdx: number[]; outIdx: number[] }[];
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
}

export type JobSpec = TrainSpec | QuerySpec | AugmentQuerySpec | AttackJobSpec | EvaluateSpec;
export type JobKind = JobSpec['kind'];

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
}

export interface TargetPlan {
  name: string;
  train: string;
  query: string;
  dataset: string;
  members: number[];
  nonmembers: number[];
}

export interface AttackPlan {
  name: string;
  kind: AttackDef['kind'];
  job: string;
  evaluate: string;
}

/** One point of the sweep (the only one without a sweep): its settings and the jobs giving its results. */
export interface RunPlan {
  params: Record<string, number | string>; // e.g. { "refs.count": 5 }; {} without a sweep
  seed: number;
  target: TargetPlan;
  attacks: AttackPlan[];
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
}

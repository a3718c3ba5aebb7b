/** The execution plan: a DAG of typed jobs, each with a content hash of everything that determines its output. */
import type { AttackDef, Augmentation, ModelDef, Release, Unlocated } from '../check/index.js';

export type ModelSpec = Omit<ModelDef, 'range'>;

export interface TrainSpec {
  kind: 'train';
  role: 'target' | 'shadow';
  owner: string;       // target or shadow-set name
  index: number;       // shadow model number (0 for a target)
  model: ModelSpec;
  dataset: string;
  trainIdx: number[];
  seed: number;
}

export interface QuerySpec { kind: 'query'; dataset: string; model: string /* train job id */ }

/**
 * Queries a trained model on augmented copies of every record of the dataset (see data/augment.ts):
 * label-only augmentation and noise attacks, LiRA with augmented queries.
 */
export interface AugmentQuerySpec { kind: 'augment_query'; dataset: string; model: string /* train job id */; augmentations: Augmentation[]; seed: number }

export interface ShadowInput { name: string; models: { query: string; inIdx: number[]; outIdx: number[] }[] }

export interface AttackJobSpec {
  kind: 'attack';
  attack: Unlocated<AttackDef>;
  dataset: string;
  target: string;      // query job id of the target
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

export type JobSpec = TrainSpec | QuerySpec | AugmentQuerySpec | AttackJobSpec;
export type JobKind = JobSpec['kind'];

export interface Job {
  id: string;          // readable and unique: "train/shadow/refs/3"
  label: string;       // for people: "train shadow refs #3"
  deps: string[];
  hash: string;
  spec: JobSpec;
}

export interface DatasetInfo { name: string; source: { kind: string }; n: number; classes: number; shape: number[] }

export interface TargetPlan { name: string; train: string; query: string; dataset: string; members: number[]; nonmembers: number[] }

export interface Plan {
  experiment: string;
  seed: number;
  backend: string;
  datasets: DatasetInfo[];
  target: TargetPlan;
  attacks: { name: string; kind: AttackDef['kind']; job: string }[];
  metrics: import('../check/index.js').MetricSpec[];
  /** Jobs in a topological order: every job comes after its dependencies. */
  jobs: Job[];
}

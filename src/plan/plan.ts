/** The execution plan: a DAG of typed jobs, each with a content hash of everything that determines its output. */
import type { AttackDef, ModelDef, Unlocated } from '../check/index.js';

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

export interface ShadowInput { name: string; models: { query: string; inIdx: number[]; outIdx: number[] }[] }

export interface AttackJobSpec {
  kind: 'attack';
  attack: Unlocated<AttackDef>;
  dataset: string;
  target: string;      // query job id of the target
  candidates: number[];
  shadows: ShadowInput[];
}

export type JobSpec = TrainSpec | QuerySpec | AttackJobSpec;
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

/**
 * The typed program: what the checker makes of a parsed `.mia` file. Every definition keeps the
 * source range it came from, so later phases can point at it.
 */
import type { Range } from '../lang/index.js';

export interface Located { range: Range }

export type DatasetSource =
  | { kind: 'mnist' };

export interface DatasetDef extends Located { name: string; source: DatasetSource }

/** A derived subset: `digits.take(1000)`, `digits.rest`. */
export type DataOp =
  | { op: 'take'; n: number }   // the next n records no other `take` of this dataset claims
  | { op: 'rest' };             // every record no `take` of this dataset claims

export interface DataRef extends Located { dataset: string; ops: DataOp[] }

export type Activation = 'relu' | 'softmax' | 'sigmoid' | 'tanh' | 'linear';

export type LayerDef =
  | { kind: 'dense'; units: number | 'classes'; activation: Activation };

export type OptimizerDef =
  | { kind: 'adam'; rate: number }
  | { kind: 'sgd'; rate: number; momentum: number };

export interface TrainDef { optimizer: OptimizerDef; epochs: number; batch: number }

export interface ModelDef extends Located { name: string; layers: LayerDef[]; train: TrainDef }

export interface TargetDef extends Located {
  kind: 'local';
  name: string;
  model: string;
  members: DataRef;
  nonmembers: DataRef;
}

export type Sampling = 'overlapping' | 'disjoint';

export interface ShadowsDef extends Located {
  name: string;
  model: string;
  count: number;
  pool: DataRef;
  size: number;        // training records per shadow model; as many again are held out
  sampling: Sampling;
}

export type Signal = 'loss' | 'confidence' | 'entropy' | 'modified_entropy';

export type AttackDef =
  | (Located & { kind: 'threshold'; name: string; signal: Signal })
  | (Located & { kind: 'shadow_model'; name: string; shadows: string; perClass: boolean });

export type AttackKind = AttackDef['kind'];

export type MetricSpec =
  | { kind: 'auc' }
  | { kind: 'tprAtFpr'; fpr: number }
  | { kind: 'balanced_accuracy' }
  | { kind: 'advantage' };

export interface ReportDef { metrics: MetricSpec[] }

export interface TypedProgram {
  file: string;
  experiment: { name: string; seed: number };
  datasets: DatasetDef[];
  models: ModelDef[];
  targets: TargetDef[];
  shadows: ShadowsDef[];
  attacks: AttackDef[];
  report: ReportDef;
}

/** A definition without its source range (what a job's hash covers). Distributes over unions. */
export type Unlocated<T> = T extends unknown ? Omit<T, 'range'> : never;

/** What the compiler's phases share: job versions, the planner's stop, the state of one point, adding a job. */
import type { TargetDef, TypedProgram } from '../check/index.js';
import type { Code, Diagnostic, Range } from '../lang/index.js';
import { contentHash } from './hash.js';
import type { DatasetInfo, Job, JobSpec, RemoteApi } from './plan.js';

/** Bumped when a job kind's code changes what it outputs; part of every hash of that kind. */
export const JOB_VERSIONS: Record<JobSpec['kind'], number> = {
  synthesize: 1,
  train: 1,
  query: 1,
  augment_query: 1,
  perturb: 1,
  attack: 3,
  evaluate: 2, // 2: metrics carry flags (src/metrics/flags.ts)
  import: 1,
  // 2: answers are checked (probabilities sum to 1, top-k bounds): answers cached unchecked are asked again
  // 3: answers kept as released log-probabilities in float64 (logProbs), not float32 logits
  remote_query: 3,
  onnx_query: 1,
};

/**
 * A spec the planner cannot turn into jobs: the diagnostic that says why, about the definition at its
 * range. Thrown only within plan/ (a point cannot be built past it); `compile` returns it as a value.
 */
export class PlanStop extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** The start of a file: where a diagnostic about the whole program points. */
export const FILE_START: Range = {
  start: { offset: 0, line: 1, column: 1 },
  end: { offset: 0, line: 1, column: 1 },
};

/** The planner's codes (src/lang/codes.ts): E400 to E410. */
export type PlanCode = Extract<Code, `E4${string}`>;

/** A stop about a located definition (or a part of one, `range`), in that definition's file. */
export const errorAt = (
  code: PlanCode,
  message: string,
  def: { file: string; range: Range },
  range: Range = def.range,
): PlanStop => new PlanStop({ code, severity: 'error', message, file: def.file, range });

/**
 * A definition without its source ranges, at any depth (an attack's population subset has one too):
 * what a job's hash covers is what it computes, so moving or reformatting the spec changes no hash.
 */
export function stripRange<T extends { range: unknown }>(v: T): Omit<T, 'range' | 'file'> {
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (x === null || typeof x !== 'object') return x;
    return Object.fromEntries(
      Object.entries(x)
        .filter(([k]) => k !== 'range' && k !== 'file')
        .map(([k, val]) => [k, strip(val)]),
    );
  };
  return strip(v) as Omit<T, 'range' | 'file'>;
}

/** What the phases of one point share: the program, the loaded datasets' facts, and the jobs so far. */
export interface Point {
  program: TypedProgram;
  seed: number;
  backend: string;
  /** The target being compiled (the phases run once per target). */
  target: TargetDef;
  /** Every target of the experiment; with more than one, attack job ids name their target. */
  targets: TargetDef[];
  /** The job giving the target's model being compiled: its train job (targets trained alike share one) or its import. */
  targetTrain?: string;
  /** The API of the target being compiled when it is remote: its augmented queries go to it too. */
  targetApi?: RemoteApi;
  dataset: string;
  /** How many records the target's dataset has. */
  datasetSize: number;
  subsets: Map<string, number[]>;
  /** The content key of the dataset's files (absent for built-in and generated data): part of every job hash. */
  dataKey?: string;
  /** One record's shape: models are checked against it. */
  dataShape?: number[];
  /** Every dataset's facts (synthesised sources among them). */
  datasets: DatasetInfo[];
  jobs: Job[];
  byId: Map<string, Job>;
}

/** A spec without the pace of the API it queries (how fast, not what: answers do not depend on it). */
function unpaced(spec: JobSpec): JobSpec {
  if (!('api' in spec) || !spec.api.pace) return spec;
  const { pace: _, ...api } = spec.api;
  return { ...spec, api };
}

export function addJob(pt: Point, id: string, label: string, deps: string[], spec: JobSpec, version?: number): Job {
  const v = JOB_VERSIONS[spec.kind];
  const hash = contentHash({
    v: version === undefined ? v : [v, version],
    backend: pt.backend,
    data: pt.dataKey,
    spec: unpaced(spec),
    deps: deps.map((d) => pt.byId.get(d)!.hash),
  });
  const prev = pt.byId.get(id);
  if (prev?.hash === hash) return prev; // two targets sharing a job (the same shadow model)
  if (prev) throw new Error(`Two different jobs with the id "${id}" (a bug).`);
  const job: Job = { id, label, deps, inputs: deps, hash, spec };
  pt.jobs.push(job);
  pt.byId.set(id, job);
  return job;
}

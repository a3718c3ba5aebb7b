/**
 * compile: typed program + dataset facts → plan. Splits are allocated here (seeded), so every job's
 * spec names exactly the records it uses, and its hash changes exactly when its output could.
 */
import { attackAugmentations, attackOf, attackPopulation, attackShadows } from '../attacks/needs.js';
import {
  applySweepPoint,
  releaseOf,
  sweepPoints,
  type AttackDef,
  type DataRef,
  type ModelDef,
  type ShadowsDef,
  type TargetDef,
  type SweepAssignment,
  type TypedProgram,
  type Unlocated,
} from '../check/index.js';
import { allocateSubsets, shadowSplits, type SubsetRequest } from '../data/index.js';
import { deriveSeed, makeRng, permutation } from '../util/rng.js';
import type { Range } from '../lang/index.js';
import { contentHash } from './hash.js';
import { mergePoints, type PointPlan } from './merge.js';
import { fprLevelsFor } from '../metrics/index.js';
import type {
  AttackJobSpec,
  AttackPlan,
  AugmentQuerySpec,
  DatasetInfo,
  EvaluateSpec,
  Job,
  JobSpec,
  Plan,
  QuerySpec,
  ShadowInput,
  TrainSpec,
} from './plan.js';

/** Bumped when a job kind's code changes what it outputs; part of every hash of that kind. */
export const JOB_VERSIONS: Record<JobSpec['kind'], number> = {
  train: 1,
  query: 1,
  augment_query: 1,
  attack: 3,
  evaluate: 1,
};

/** A spec the planner cannot turn into jobs: a user error, about the definition at `range` in `file`. */
export class CompileError extends Error {
  constructor(
    message: string,
    readonly range?: Range,
    readonly file?: string,
  ) {
    super(message);
  }
}

/** A compile error about a located definition (or a part of one, `range`), in that definition's file. */
const errorAt = (message: string, def: { file: string; range: Range }, range: Range = def.range): CompileError =>
  new CompileError(message, range, def.file);

/**
 * A definition without its source ranges, at any depth (an attack's population subset has one too):
 * what a job's hash covers is what it computes, so moving or reformatting the spec changes no hash.
 */
function stripRange<T extends { range: unknown }>(v: T): Omit<T, 'range' | 'file'> {
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

/**
 * The plan of an experiment: one per sweep point, merged so points share every job they have in
 * common (same hash), e.g. a sweep over attack settings trains its shadow models once.
 */
export function compile(program: TypedProgram, datasets: DatasetInfo[], backend: string): Plan {
  const points = sweepPoints(program).map((assignments: SweepAssignment[]) => {
    const params = Object.fromEntries(assignments.map((a) => [a.path.join('.'), a.value]));
    try {
      return {
        params,
        plan: compilePoint(assignments.length ? applySweepPoint(program, assignments) : program, datasets, backend),
      };
    } catch (e) {
      if (e instanceof CompileError && assignments.length) {
        throw new CompileError(
          `At the sweep point ${assignments.map((a) => `${a.path.join('.')} = ${a.value}`).join(', ')}: ${e.message}`,
          e.range ?? program.sweep[0]?.range,
          e.range ? e.file : program.file,
        );
      }
      throw e;
    }
  });
  const infos = datasets.map(({ labels: _, ...d }) => d);
  return mergePoints(program, infos, backend, points);
}

/** What the phases of one point share: the program, the loaded datasets' facts, and the jobs so far. */
interface Point {
  program: TypedProgram;
  seed: number;
  backend: string;
  target: Extract<TargetDef, { kind: 'local' }>;
  dataset: string;
  subsets: Map<string, number[]>;
  jobs: Job[];
  byId: Map<string, Job>;
}

/** The plan of one experiment without a sweep; job ids are local to it. */
export function compilePoint(program: TypedProgram, datasets: DatasetInfo[], backend: string): PointPlan {
  const pt = startPoint(program, datasets, backend);
  const { target } = pt;
  const trained = trainAndQuery(
    pt,
    'target',
    target.name,
    0,
    modelOf(program, target.model, target),
    pt.subsets.get(`target/${target.name}/members`)!,
  );
  const nonmembers = pt.subsets.get(`target/${target.name}/nonmembers`)!;
  const members = trained.trained;
  const shadowInputs = shadowJobs(pt);
  const attacks = program.attacks.map((a) => attackJobs(pt, a, trained.query, members, nonmembers, shadowInputs));
  return {
    seed: pt.seed,
    jobs: pt.jobs,
    target: {
      name: target.name,
      train: `train/target/${target.name}`,
      query: trained.query,
      dataset: pt.dataset,
      members,
      nonmembers,
    },
    attacks,
  };
}

/** Phase 1, subsets: the target, and every subset of the program allocated in source order. */
function startPoint(program: TypedProgram, datasets: DatasetInfo[], backend: string): Point {
  const seed = program.experiment.seed;
  const target = program.targets[0];
  if (!target) throw new CompileError('The experiment has no target.', undefined, program.file);
  if (target.kind !== 'local') throw errorAt(`A ${target.kind} target is not supported yet.`, target);
  if (target.members.dataset !== target.nonmembers.dataset)
    throw errorAt('Members and non-members must come from the same dataset.', target, target.nonmembers.range);
  const dataset = target.members.dataset;
  if (!datasets.some((d) => d.name === dataset)) throw errorAt(`Dataset "${dataset}" was not loaded.`, target);
  const subsets = allocate(program, target, datasets, seed);
  return { program, seed, backend, target, dataset, subsets, jobs: [], byId: new Map() };
}

/** Every subset request, in source order (so `take`s are served top to bottom), allocated. */
function allocate(program: TypedProgram, target: TargetDef, datasets: DatasetInfo[], seed: number) {
  const refs: { key: string; ref: DataRef }[] = [
    { key: `target/${target.name}/members`, ref: target.members },
    { key: `target/${target.name}/nonmembers`, ref: target.nonmembers },
    ...program.shadows.map((s) => ({ key: `shadows/${s.name}/pool`, ref: s.pool })),
    ...program.attacks.flatMap((a) => {
      const pop = attackPopulation(a);
      return pop?.subset ? [{ key: `attack/${a.name}/population`, ref: pop.subset }] : [];
    }),
  ].sort((a, b) => a.ref.range.start.offset - b.ref.range.start.offset);
  const requests: SubsetRequest[] = refs.map(({ key, ref }) => ({ key, dataset: ref.dataset, ops: ref.ops }));
  const facts = new Map(datasets.map((d) => [d.name, { n: d.n, ...(d.labels ? { labels: d.labels } : {}) }]));
  try {
    return allocateSubsets(requests, facts, seed);
  } catch (e) {
    throw errorAt((e as Error).message, target);
  }
}

function modelOf(program: TypedProgram, name: string, user: { file: string; range: Range }): ModelDef {
  const m = program.models.find((x) => x.name === name);
  if (!m) throw errorAt(`Unknown model "${name}".`, user);
  return m;
}

function addJob(pt: Point, id: string, label: string, deps: string[], spec: JobSpec, version?: number): Job {
  const v = JOB_VERSIONS[spec.kind];
  const hash = contentHash({
    v: version === undefined ? v : [v, version],
    backend: pt.backend,
    spec,
    deps: deps.map((d) => pt.byId.get(d)!.hash),
  });
  const job: Job = { id, label, deps, inputs: deps, hash, spec };
  pt.jobs.push(job);
  pt.byId.set(id, job);
  return job;
}

/**
 * With early stopping, a `validation` fraction of a model's training draw is held out (seeded by the
 * model's identity) to watch the validation loss on: it is not trained on, so it is no member either,
 * and no attack scores it.
 */
function holdOut(pt: Point, model: ModelDef, idx: number[], base: string): { train: number[]; validation: number[] } {
  const es = model.train.earlyStopping;
  if (!es) return { train: idx, validation: [] };
  const k = Math.max(1, Math.round(es.validation * idx.length));
  if (k >= idx.length)
    throw errorAt(
      `Early stopping of model "${model.name}" holds out ${k} of ${idx.length} training records, leaving none to train on.`,
      model,
    );
  const order = permutation(idx.length, makeRng(deriveSeed(pt.seed, `validation/${base}`)));
  const held = new Set(order.slice(0, k));
  return { train: idx.filter((_, i) => !held.has(i)), validation: idx.filter((_, i) => held.has(i)) };
}

/** Phase 2, training and queries: trains a model on `draw` (less any validation hold-out) and queries it. */
function trainAndQuery(
  pt: Point,
  role: 'target' | 'shadow',
  owner: string,
  index: number,
  model: ModelDef,
  draw: number[],
): { query: string; trained: number[] } {
  const base = role === 'target' ? `target/${owner}` : `shadow/${owner}/${index}`;
  const { train: trainIdx, validation } = holdOut(pt, model, draw, base);
  const spec: TrainSpec = {
    kind: 'train',
    role,
    owner,
    index,
    model: stripRange(model),
    dataset: pt.dataset,
    trainIdx,
    ...(validation.length ? { validationIdx: validation } : {}),
    seed: deriveSeed(pt.seed, `train/${base}`),
  };
  const label = role === 'target' ? `target ${owner}` : `shadow ${owner} #${index + 1}`;
  const t = addJob(pt, `train/${base}`, `train ${label}`, [], spec);
  const q: QuerySpec = { kind: 'query', dataset: pt.dataset, model: t.id };
  return { query: addJob(pt, `query/${base}`, `query ${label}`, [t.id], q).id, trained: trainIdx };
}

/** The shadow sets some attack uses, each model trained and queried. */
function shadowJobs(pt: Point): Map<string, ShadowInput> {
  const used = new Set(pt.program.attacks.flatMap((a) => attackShadows(a)));
  const out = new Map<string, ShadowInput>();
  for (const s of pt.program.shadows) if (used.has(s.name)) out.set(s.name, shadowSet(pt, s));
  return out;
}

function shadowSet(pt: Point, s: ShadowsDef): ShadowInput {
  if (s.pool.dataset !== pt.dataset)
    throw errorAt(
      `The pool of shadows "${s.name}" must come from the target's dataset "${pt.dataset}".`,
      s,
      s.pool.range,
    );
  let splits;
  try {
    splits = shadowSplits(pt.subsets.get(`shadows/${s.name}/pool`)!, s.count, s.size, s.sampling, pt.seed, s.name);
  } catch (e) {
    throw errorAt((e as Error).message, s);
  }
  const model = modelOf(pt.program, s.model, s);
  const models = splits.map((sp, i) => {
    const t = trainAndQuery(pt, 'shadow', s.name, i, model, sp.inIdx);
    return { query: t.query, inIdx: t.trained, outIdx: sp.outIdx };
  });
  return { name: s.name, models };
}

/** Phase 3, attack jobs (with their augmented queries); phase 4, each attack's evaluate job. */
function attackJobs(
  pt: Point,
  a: AttackDef,
  targetQuery: string,
  members: number[],
  nonmembers: number[],
  shadowInputs: Map<string, ShadowInput>,
): AttackPlan {
  const { program, target, seed, dataset } = pt;
  const release = releaseOf(target);
  const d = attackOf(a);
  if (d.needsProbabilities && release.kind === 'labels')
    throw errorAt(
      `The target "${target.name}" releases labels only, but the ${a.kind} attack "${a.name}" needs probabilities.`,
      a,
    );
  const candidates = [...members, ...nonmembers];
  const shadows = attackShadows(a).map((n) => shadowInputs.get(n)!);
  const augmented = augmentedQueries(pt, a, shadows);
  const spec: AttackJobSpec = {
    kind: 'attack',
    attack: stripRange(a) as Unlocated<AttackDef>,
    dataset,
    target: targetQuery,
    candidates,
    shadows,
    release,
    population: populationOf(pt, a, new Set(candidates)),
    augmented,
    seed: deriveSeed(seed, `attack/${a.name}`),
  };
  const deps = [
    targetQuery,
    ...shadows.flatMap((s) => s.models.map((m) => m.query)),
    ...(augmented ? [augmented.target, ...augmented.shadows.flatMap((s) => s.queries)] : []),
  ];
  const job = addJob(pt, `attack/${a.name}`, `attack ${a.name}`, deps, spec, d.version);
  const fprLevels = fprLevelsFor(program.report.metrics.flatMap((m) => (m.kind === 'tprAtFpr' ? [m.fpr] : [])));
  const ev: EvaluateSpec = {
    kind: 'evaluate',
    dataset,
    attack: job.id,
    candidates,
    members: members.length,
    fprLevels,
    seed: deriveSeed(seed, `bootstrap/${a.name}`),
  };
  const evaluate = addJob(pt, `evaluate/${a.name}`, `evaluate ${a.name}`, [job.id], ev);
  return { name: a.name, kind: a.kind, job: job.id, evaluate: evaluate.id };
}

/** The target's and each shadow model's answers on augmented copies, when the attack has augmentations. */
function augmentedQueries(pt: Point, a: AttackDef, shadows: ShadowInput[]): AttackJobSpec['augmented'] {
  const augs = attackAugmentations(a);
  if (augs.length === 0) return null;
  const augSeed = deriveSeed(pt.seed, `augment/${a.name}`);
  const aq = (id: string, label: string, train: string): string => {
    const spec: AugmentQuerySpec = {
      kind: 'augment_query',
      dataset: pt.dataset,
      model: train,
      augmentations: augs,
      seed: augSeed,
    };
    return addJob(pt, id, label, [train], spec).id;
  };
  const t = pt.target.name;
  return {
    target: aq(`augquery/${a.name}/target`, `query target ${t} augmented for ${a.name}`, `train/target/${t}`),
    shadows: shadows.map((s) => ({
      name: s.name,
      queries: s.models.map((_, i) =>
        aq(
          `augquery/${a.name}/shadow/${s.name}/${i}`,
          `query shadow ${s.name} #${i + 1} augmented for ${a.name}`,
          `train/shadow/${s.name}/${i}`,
        ),
      ),
    })),
  };
}

/** The population records of an attack that asks for them: never candidates, drawn (seeded) to its size. */
function populationOf(pt: Point, a: AttackDef, cands: Set<number>): number[] {
  const need = attackPopulation(a);
  if (!need) return [];
  const key = need.subset ? `attack/${a.name}/population` : `shadows/${need.poolOf}/pool`;
  const from = (pt.subsets.get(key) ?? []).filter((r) => !cands.has(r));
  if (from.length === 0)
    throw errorAt(
      `The ${a.kind} attack "${a.name}" finds no population records outside the target's members and non-members.`,
      a,
      need.subset?.range ?? a.range,
    );
  if (need.size === null) return from;
  const order = permutation(from.length, makeRng(deriveSeed(pt.seed, `population/${a.name}`)));
  return order.slice(0, Math.min(need.size, from.length)).map((i) => from[i]!);
}

export { attackShadows };

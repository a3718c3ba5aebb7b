/** Phases 1 and 2 of compiling one point: subsets, then training and queries of the target and the shadows. */
import { attackShadows } from '../attacks/needs.js';
import { attackPopulation } from '../attacks/needs.js';
import type { DataRef, ModelDef, ShadowsDef, TargetDef, TypedProgram } from '../check/index.js';
import { allocateSubsets, shadowSplits, type SubsetRequest } from '../data/index.js';
import type { Range } from '../lang/index.js';
import { deriveSeed, makeRng, permutation } from '../util/rng.js';
import { attackJobs } from './compile-attacks.js';
import { addJob, CompileError, errorAt, stripRange, type Point } from './compile-common.js';
import type { PointPlan } from './merge.js';
import type { DatasetInfo, QuerySpec, ShadowInput, TrainSpec } from './plan.js';

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
export function trainAndQuery(
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
  const label = role === 'target' ? `target ${owner}` : `shadow ${owner} #${index}`;
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

/** Phases 1 and 2 of compiling one point: subsets, then training and queries of each target and the shadows. */
import { attackShadows } from '../attacks/needs.js';
import { attackPopulation } from '../attacks/needs.js';
import type {
  DataRef,
  DefenseDef,
  ModelDef,
  OnnxShadowsDef,
  TargetDef,
  TrainedShadowsDef,
  TypedProgram,
} from '../check/index.js';
import { allocateSubsets, shadowSplits, synthesisStatistics, type SubsetRequest } from '../data/index.js';
import type { Range } from '../lang/index.js';
import { deriveSeed, makeRng, permutation } from '../util/rng.js';
import { checkModelFileFits, ModelFileError, modelFileFacts } from '../ml/model-file.js';
import { dirname, resolve } from 'node:path';
import { auditPlan, canaryDraw, canaryKey, canaryTraining } from './canaries.js';
import { attackJobs, populationOf } from './compile-attacks.js';
import { shapeProblem } from './model-shape.js';
import { addJob, errorAt, FILE_START, stripRange, type Point } from './compile-common.js';
import {
  checkDefenses,
  defendedModel,
  perturbedQuery,
  referenceRecords,
  trainingDefenses,
  type Defended,
} from './compile-defenses.js';
import type { PointPlan } from './merge.js';
import type { PrivacyRecord } from '../defenses/defense.js';
import type {
  CanaryPlan,
  DatasetInfo,
  ImportSpec,
  QuerySpec,
  RemoteApi,
  RemoteQuerySpec,
  ShadowInput,
  SynthesisPlan,
  TrainSpec,
} from './plan.js';
import { remoteApi, remoteBudget } from './remote.js';
import { onnxQueryJob } from './onnx.js';
import { onnxShadowSet } from './onnx-shadows.js';
import { partOffsets, targetDataset } from './joined.js';
import { statisticsKey, synthesizeJob, syntheticPoolOf } from './compile-synthesis.js';

/**
 * The plan of one experiment without a sweep; job ids are local to it. Several targets share the
 * subsets written alike (see allocate), the shadow models they would train alike (see shadowJobs),
 * and every attack runs against each; with more than one target, attack and evaluate ids name it.
 */
export function compilePoint(program: TypedProgram, datasets: DatasetInfo[], backend: string): PointPlan {
  const pt = startPoint(program, datasets, backend);
  const caches: Caches = { shadows: new Map(), trained: new Map(), trainOf: new Map(), synthesis: new Map() };
  const targets = pt.targets.map((target) => compileTarget({ ...pt, target }, caches, datasets));
  const audit = auditPlan(
    program.report.audit,
    program.attacks.map((a) => a.name),
  );
  return { seed: pt.seed, jobs: pt.jobs, targets, ...(audit ? { audit } : {}) };
}

interface Caches {
  shadows: Map<string, ShadowInput>;
  /** Targets trained alike (same model, members and training-time defenses) share one model: the first one's. */
  trained: Map<string, { owner: string; query: string; trained: number[] }>;
  /** Each target compiled so far: the job giving its model (what a hill_climb source queries). */
  trainOf: Map<string, string>;
  /** The synthesize job of each synthesised dataset used so far. */
  synthesis: Map<string, SynthesisPlan>;
}

interface TargetModel {
  owner: string;
  /** The job answering queries on the given records (sorted): a trained or imported model's query job, or the API's. */
  query: (records: number[]) => string;
  trained: number[];
  train: string;
  privacy?: PrivacyRecord;
  /** A remote target's API (its augmented queries go to it too). */
  api?: RemoteApi;
  /** The queries the point's jobs send to the API, within its budget (once every job of the target is added). */
  queries?: () => number;
}

type TargetOf<K extends TargetDef['kind']> = Extract<TargetDef, { kind: K }>;
type ModelOf<K extends TargetDef['kind']> = (
  pt: Point,
  target: TargetOf<K>,
  ctx: { caches: Caches; datasets: DatasetInfo[]; canaries: CanaryPlan | null },
) => TargetModel;

/** A target trained here: targets trained alike (model, members, training defenses, canaries) share one. */
const localModel: ModelOf<'local'> = (pt, target, { caches, canaries }) => {
  const draw = pt.subsets.get(`target/${target.name}/members`)!;
  const defended = defendedModel(modelOf(pt.program, target.model, target), target.defenses);
  const key = JSON.stringify([target.model, draw, trainingDefenses(target).map((d) => stripRange(d)), canaries]);
  let trained = caches.trained.get(key);
  if (!trained) {
    trained = { owner: target.name, ...trainAndQuery(pt, 'target', target.name, 0, defended, draw, '', canaries) };
    caches.trained.set(key, trained);
  }
  // The accountant counts what the target trains on: its members and any IN canaries (with repeats).
  const trainedOn = trained.trained.length + (canaries ? canaryTraining(canaries).length : 0);
  const privacy = defended.privacy ? defended.privacy(trainedOn) : undefined;
  const { query } = trained;
  return { ...trained, query: () => query, train: `train/target/${trained.owner}`, ...(privacy ? { privacy } : {}) };
};

/** A remote API: each set of records is one query job. */
const remoteModel: ModelOf<'remote'> = (pt, target, { datasets }) => {
  const api = remoteApi(target, datasets.find((d) => d.name === pt.dataset)!);
  const id = `remote/target/${target.name}`;
  const query = (records: number[]): string => {
    const spec: RemoteQuerySpec = { kind: 'remote_query', dataset: pt.dataset, target: target.name, api, records };
    return addJob(pt, id, `query remote target ${target.name}`, [], spec).id;
  };
  const members = pt.subsets.get(`target/${target.name}/members`)!;
  return { owner: target.name, query, trained: members, train: id, api, queries: () => remoteBudget(pt, target) };
};

/** An ONNX file, run by onnxruntime. */
const onnxModel: ModelOf<'onnx'> = (pt, target) => {
  const id = `onnx/target/${target.name}`;
  const query = onnxQueryJob(pt, target, target.path, target, id, `query ONNX target ${target.name}`);
  return {
    owner: target.name,
    query: () => query,
    trained: pt.subsets.get(`target/${target.name}/members`)!,
    train: query,
  };
};

/** A tfjs model file: imported (its bytes hashed), then queried. */
const importedModel: ModelOf<'imported'> = (pt, target, { datasets }) => {
  const path = resolve(dirname(target.file), target.path);
  const info = datasets.find((d) => d.name === pt.dataset)!;
  let facts;
  try {
    facts = modelFileFacts(path, target.output);
    checkModelFileFits(path, facts, info);
  } catch (e) {
    if (e instanceof ModelFileError) throw errorAt('E402', e.message, target);
    throw e;
  }
  const spec: ImportSpec = { kind: 'import', dataset: pt.dataset, path, files: facts.hash, output: facts.output };
  const m = addJob(pt, `import/target/${target.name}`, `import target ${target.name}`, [], spec);
  const q: QuerySpec = { kind: 'query', dataset: pt.dataset, model: m.id, file: path };
  const query = addJob(pt, `query/target/${target.name}`, `query target ${target.name}`, [m.id], q).id;
  return {
    owner: target.name,
    query: () => query,
    trained: pt.subsets.get(`target/${target.name}/members`)!,
    train: m.id,
  };
};

/** Each target source's model, and how a message names a target mia does not train (null: it trains it). */
const TARGET_MODELS: { [K in TargetDef['kind']]: { model: ModelOf<K>; notTrained: string | null } } = {
  local: { model: localModel, notTrained: null },
  imported: { model: importedModel, notTrained: 'imported' },
  onnx: { model: onnxModel, notTrained: 'an ONNX file' },
  remote: { model: remoteModel, notTrained: 'a remote API' },
};

/** The target's model, by its source; canaries and training-time defenses only on a target mia trains. */
function targetModel(pt: Point, caches: Caches, datasets: DatasetInfo[], canaries: CanaryPlan | null): TargetModel {
  const { target } = pt;
  const source = TARGET_MODELS[target.kind] as { model: ModelOf<TargetDef['kind']>; notTrained: string | null };
  const how = source.notTrained;
  if (how !== null && canaries)
    throw errorAt(
      'E401',
      `Canaries need a target mia trains; "${target.name}" is ${how}, so none can be inserted.`,
      target,
    );
  if (how !== null && trainingDefenses(target).length)
    throw errorAt('E401', `"${target.name}" is ${how}: training-time defenses cannot apply to it.`, target);
  return source.model(pt, target as never, { caches, datasets, canaries });
}

function compileTarget(pt: Point, caches: Caches, datasets: DatasetInfo[]): PointPlan['targets'][number] {
  const { target, program } = pt;
  checkDefenses(pt, datasets.find((d) => d.name === pt.dataset)!.classes);
  const canaries = canaryDraw(pt, target, datasets);
  const trained = targetModel(pt, caches, datasets, canaries);
  pt.targetTrain = trained.train;
  pt.targetApi = trained.api;
  caches.trainOf.set(target.name, trained.train);
  const nonmembers = pt.subsets.get(`target/${target.name}/nonmembers`)!;
  const members = trained.trained;
  const candidates = [...members, ...nonmembers];
  const cands = new Set(candidates);
  const populations = program.attacks.flatMap((a) => populationOf(pt, a, cands));
  const queried = [...new Set([...candidates, ...populations])].sort((a, b) => a - b);
  const query = perturbedQuery(pt, trained.query(queried), members, queried);
  const shadowInputs = shadowJobs(pt, caches);
  const attacks = program.attacks.flatMap(
    (a) => attackJobs(pt, a, query, members, nonmembers, shadowInputs, canaries) ?? [],
  );
  const queries = trained.queries?.();
  const used = new Set(attacks.flatMap((a) => pt.byId.get(a.job)!.deps));
  const synthesis = [...caches.synthesis.values()].filter((x) => used.has(x.job));
  const defenses = target.defenses.map((d) => d.kind);
  return {
    target: {
      name: target.name,
      train: trained.train,
      query,
      dataset: pt.dataset,
      members,
      nonmembers,
      ...(defenses.length ? { defenses } : {}),
      ...(trained.privacy ? { privacy: trained.privacy } : {}),
      ...(canaries ? { canaries } : {}),
      ...(queries !== undefined ? { queries } : {}),
    },
    attacks,
    ...(synthesis.length ? { synthesis } : {}),
  };
}

/** Phase 1, subsets: the targets, and every subset of the program allocated in source order. */
function startPoint(program: TypedProgram, datasets: DatasetInfo[], backend: string): Point {
  const seed = program.experiment.seed;
  const first = program.targets[0];
  if (!first) throw errorAt('E400', 'The experiment has no target.', { file: program.file, range: FILE_START });
  const dataset = targetDataset(first, program.attacks);
  const targets = program.targets.map((t) => {
    if (targetDataset(t, program.attacks) !== dataset)
      throw errorAt('E403', `All targets must use one dataset ("${dataset}").`, t, t.members.range);
    return t;
  });
  const info = datasets.find((d) => d.name === dataset);
  if (!info) throw errorAt('E400', `Dataset "${dataset}" was not loaded.`, first);
  if (info.synthetic)
    throw errorAt(
      'E403',
      `"${dataset}" is synthesised shadow data; a target's members and non-members must be records of a real dataset.`,
      first,
      first.members.range,
    );
  const subsets = allocate(program, targets, datasets, seed, partOffsets(dataset, datasets));
  const target = targets[0]!;
  return {
    program,
    seed,
    backend,
    target,
    targets,
    dataset,
    datasetSize: info.n,
    subsets,
    dataKey: info.context?.key,
    dataShape: info.shape,
    datasets,
    jobs: [],
    byId: new Map(),
  };
}

const refText = (r: DataRef): string => JSON.stringify([r.dataset, r.ops]);

/**
 * Every subset request, in source order (so `take`s are served top to bottom), allocated. A later
 * target whose members (or non-members) are written as an earlier target's are (same dataset and
 * operations) gets the same records: several targets are compared on the same records.
 */
function allocate(
  program: TypedProgram,
  targets: TargetDef[],
  datasets: DatasetInfo[],
  seed: number,
  offsets: Map<string, number>,
) {
  const seen = new Map<string, string>(); // role + written ref → the key of the first target's subset
  const aliases: [string, string][] = [];
  const targetRefs = targets.flatMap((t) =>
    (['members', 'nonmembers'] as const).flatMap((role) => {
      const key = `target/${t.name}/${role}`;
      const text = `${role}:${refText(t[role])}`;
      const first = seen.get(text);
      if (first) return (aliases.push([key, first]), []);
      seen.set(text, key);
      return [{ key, ref: t[role] }];
    }),
  );
  const refs: { key: string; ref: DataRef }[] = [
    ...targetRefs,
    ...targets.flatMap((t) => (t.canaries ? [{ key: canaryKey(t.name), ref: t.canaries.data }] : [])),
    ...program.shadows.flatMap((s) => (s.pool ? [{ key: `shadows/${s.name}/pool`, ref: s.pool }] : [])),
    ...program.datasets.flatMap((d) => {
      const stats = synthesisStatistics(d);
      return stats ? [{ key: statisticsKey(d.name), ref: stats }] : [];
    }),
    ...program.attacks.flatMap((a) => {
      const pop = attackPopulation(a);
      return pop?.subset ? [{ key: `attack/${a.name}/population`, ref: pop.subset }] : [];
    }),
  ].sort((a, b) => a.ref.range.start.offset - b.ref.range.start.offset);
  const requests: SubsetRequest[] = refs.map(({ key, ref }) => ({ key, dataset: ref.dataset, ops: ref.ops }));
  const facts = new Map(
    datasets.map((d) => [
      d.name,
      { n: d.n, ...(d.labels ? { labels: d.labels } : {}), ...(d.membership ? { membership: d.membership } : {}) },
    ]),
  );
  try {
    const out = allocateSubsets(requests, facts, seed);
    // On a joined dataset (members and non-members as two datasets) each part's records follow the earlier parts'.
    for (const r of requests)
      if (offsets.get(r.dataset))
        out.set(
          r.key,
          out.get(r.key)!.map((i) => i + offsets.get(r.dataset)!),
        );
    for (const [key, first] of aliases) out.set(key, out.get(first)!);
    return out;
  } catch (e) {
    throw errorAt('E410', (e as Error).message, targets[0]!);
  }
}

function modelOf(program: TypedProgram, name: string, user: { file: string; range: Range }): ModelDef {
  const m = program.models.find((x) => x.name === name);
  if (!m) throw errorAt('E400', `Unknown model "${name}".`, user);
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
      'E404',
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
  defended: Defended,
  draw: number[],
  variant = '',
  canaries: CanaryPlan | null = null,
  data: string | null = null,
): { query: string; trained: number[] } {
  const { model } = defended;
  const base = role === 'target' ? `target/${owner}` : `shadow/${owner}${variant}/${index}`;
  const seedBase = role === 'target' ? base : `shadow/${owner}/${index}`; // a mimicking shadow keeps its seed
  const problem = pt.dataShape ? shapeProblem(model, pt.dataShape, pt.dataset) : null;
  if (problem) throw errorAt('E404', problem, model);
  const { train: trained, validation } = holdOut(pt, model, draw, base);
  const trainIdx = canaries ? [...trained, ...canaryTraining(canaries)] : trained;
  if (data && defended.trainer && defended.reference !== undefined)
    throw errorAt(
      'E404',
      `Shadows on synthesised data cannot mimic "${defended.trainer.kind}": its reference records are the target's dataset's.`,
      model,
    );
  const reference =
    defended.trainer && defended.reference !== undefined
      ? referenceRecords(
          pt,
          defended.reference,
          `train/${base}`,
          pt.target.defenses.find((d) => d.kind === defended.trainer!.kind)!,
        )
      : undefined;
  const spec: TrainSpec = {
    kind: 'train',
    role,
    owner,
    index,
    model: stripRange(model),
    dataset: pt.dataset,
    trainIdx,
    ...(validation.length ? { validationIdx: validation } : {}),
    ...(defended.trainer ? { trainer: defended.trainer } : {}),
    ...(reference ? { referenceIdx: reference } : {}),
    ...(canaries?.relabel ? { relabel: canaries.relabel } : {}),
    ...(data ? { data } : {}),
    seed: deriveSeed(pt.seed, `train/${seedBase}`),
  };
  const label =
    role === 'target' ? `target ${owner}` : `shadow ${owner}${variant ? ` (as ${variant.slice(1)})` : ''} #${index}`;
  const t = addJob(pt, `train/${base}`, `train ${label}`, data ? [data] : [], spec);
  const q: QuerySpec = { kind: 'query', dataset: pt.dataset, model: t.id, ...(data ? { data } : {}) };
  return { query: addJob(pt, `query/${base}`, `query ${label}`, data ? [t.id, data] : [t.id], q).id, trained };
}

/**
 * The shadow sets some attack uses, each model trained and queried. With `defenses mimic` (the
 * default) a shadow model trains with the current target's training-time defenses (the attacker of
 * Shokri et al. knows the training procedure); targets with the same training-time defenses share
 * shadow models (`cache`), and undefended shadows keep their plain ids.
 */
function shadowJobs(pt: Point, caches: Caches): Map<string, ShadowInput> {
  const used = new Set(pt.program.attacks.flatMap((a) => attackShadows(a)));
  const out = new Map<string, ShadowInput>();
  for (const s of pt.program.shadows) {
    if (!used.has(s.name)) continue;
    const build = SHADOW_SETS[s.source ?? 'trained'] as ShadowSetOf<typeof s>;
    out.set(s.name, build(pt, caches, s));
  }
  return out;
}

type ShadowSetOf<D> = (pt: Point, caches: Caches, s: D) => ShadowInput;

/** Shadow models mia trains, with the target's training-time defenses under `defenses mimic`. */
const trainedSet: ShadowSetOf<TrainedShadowsDef> = (pt, caches, s) => {
  const defenses = s.defenses === 'mimic' ? trainingDefenses(pt.target) : [];
  const key = `${s.name}:${JSON.stringify(defenses.map((d) => stripRange(d)))}`;
  let set = caches.shadows.get(key);
  if (!set)
    caches.shadows.set(key, (set = shadowSet(pt, caches, s, defenses, defenses.length ? `~${pt.target.name}` : '')));
  return set;
};

/** Reference models from ONNX files: the same for every target (mia does not train them, so nothing to mimic). */
const onnxSet: ShadowSetOf<OnnxShadowsDef> = (pt, caches, s) => {
  const key = `${s.name}:onnx_models`;
  let set = caches.shadows.get(key);
  if (!set) caches.shadows.set(key, (set = onnxShadowSet(pt, s)));
  return set;
};

/** Each shadow source's set of models and their in and out records. */
const SHADOW_SETS: Record<'trained' | OnnxShadowsDef['source'], ShadowSetOf<never>> = {
  trained: trainedSet,
  onnx_models: onnxSet,
};

function shadowSet(
  pt: Point,
  caches: Caches,
  s: TrainedShadowsDef,
  defenses: DefenseDef[],
  variant: string,
): ShadowInput {
  const synthetic = syntheticPoolOf(pt, s);
  let data: SynthesisPlan | undefined;
  if (synthetic) {
    data = caches.synthesis.get(synthetic.name) ?? synthesizeJob(pt, synthetic, caches.trainOf);
    caches.synthesis.set(synthetic.name, data);
  }
  let splits;
  try {
    splits = shadowSplits(pt.subsets.get(`shadows/${s.name}/pool`)!, s.count, s.size, s.sampling, pt.seed, s.name);
  } catch (e) {
    throw errorAt('E410', (e as Error).message, s);
  }
  const defended = defendedModel(modelOf(pt.program, s.model, s), defenses);
  // Synthetic records follow the dataset's in the index space the attacks read (see ShadowInput).
  const offset = data ? pt.datasetSize : 0;
  const shift = (idx: number[]): number[] => (offset ? idx.map((i) => i + offset) : idx);
  const models = splits.map((sp, i) => {
    const t = trainAndQuery(pt, 'shadow', s.name, i, defended, sp.inIdx, variant, null, data?.job ?? null);
    return { query: t.query, inIdx: shift(t.trained), outIdx: shift(sp.outIdx) };
  });
  return { name: s.name, models, ...(data ? { data: data.job } : {}) };
}

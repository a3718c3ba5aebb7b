/**
 * compile: typed program + dataset facts → plan. Splits are allocated here (seeded), so every job's
 * spec names exactly the records it uses, and its hash changes exactly when its output could.
 */
import {
  applySweepPoint,
  releaseOf,
  sweepPoints,
  type AttackDef,
  type DataRef,
  type ModelDef,
  type SweepAssignment,
  type TypedProgram,
  type Unlocated,
} from '../check/index.js';
import { allocateSubsets, shadowSplits, type SubsetRequest } from '../data/index.js';
import { deriveSeed, makeRng, permutation } from '../util/rng.js';
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

export class CompileError extends Error {
  constructor(
    message: string,
    readonly range?: import('../lang/index.js').Range,
  ) {
    super(message);
  }
}

/**
 * A definition without its source ranges, at any depth (an attack's population subset has one too):
 * what a job's hash covers is what it computes, so moving or reformatting the spec changes no hash.
 */
function stripRange<T extends { range: unknown }>(v: T): Omit<T, 'range'> {
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (x === null || typeof x !== 'object') return x;
    return Object.fromEntries(
      Object.entries(x)
        .filter(([k]) => k !== 'range')
        .map(([k, val]) => [k, strip(val)]),
    );
  };
  return strip(v) as Omit<T, 'range'>;
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
        );
      }
      throw e;
    }
  });
  return mergePoints(program, datasets, backend, points);
}

/** The plan of one experiment without a sweep; job ids are local to it. */
export function compilePoint(program: TypedProgram, datasets: DatasetInfo[], backend: string): PointPlan {
  const seed = program.experiment.seed;
  const target = program.targets[0];
  if (!target) throw new CompileError('The experiment has no target.');
  const info = new Map(datasets.map((d) => [d.name, d]));
  if (target.kind !== 'local') throw new CompileError(`A ${target.kind} target is not supported yet.`, target.range);
  const modelOf = (name: string): ModelDef => {
    const m = program.models.find((x) => x.name === name);
    if (!m) throw new CompileError(`Unknown model "${name}".`);
    return m;
  };

  // Subsets in source order, so `take`s are served top to bottom.
  const refs: { key: string; ref: DataRef }[] = [
    { key: `target/${target.name}/members`, ref: target.members },
    { key: `target/${target.name}/nonmembers`, ref: target.nonmembers },
    ...program.shadows.map((s) => ({ key: `shadows/${s.name}/pool`, ref: s.pool })),
    ...program.attacks.flatMap((a) => {
      const pop = a.kind === 'population' || a.kind === 'rmia' ? a.population : null;
      return pop ? [{ key: `attack/${a.name}/population`, ref: pop }] : [];
    }),
  ].sort((a, b) => a.ref.range.start.offset - b.ref.range.start.offset);
  const requests: SubsetRequest[] = refs.map(({ key, ref }) => ({ key, dataset: ref.dataset, ops: ref.ops }));
  const sizes = new Map(datasets.map((d) => [d.name, d.n]));
  let subsets: Map<string, number[]>;
  try {
    subsets = allocateSubsets(requests, sizes, seed);
  } catch (e) {
    throw new CompileError((e as Error).message, target.range);
  }
  const drawnMembers = subsets.get(`target/${target.name}/members`)!;
  const nonmembers = subsets.get(`target/${target.name}/nonmembers`)!;
  if (target.members.dataset !== target.nonmembers.dataset) {
    throw new CompileError('Members and non-members must come from the same dataset.', target.nonmembers.range);
  }
  const dataset = target.members.dataset;
  if (!info.has(dataset)) throw new CompileError(`Dataset "${dataset}" was not loaded.`);

  const jobs: Job[] = [];
  const byId = new Map<string, Job>();
  const add = (id: string, label: string, deps: string[], spec: JobSpec): Job => {
    const hash = contentHash({ v: JOB_VERSIONS[spec.kind], backend, spec, deps: deps.map((d) => byId.get(d)!.hash) });
    const job: Job = { id, label, deps, inputs: deps, hash, spec };
    jobs.push(job);
    byId.set(id, job);
    return job;
  };
  /**
   * With early stopping, a `validation` fraction of a model's training draw is held out (seeded by the
   * model's identity) to watch the validation loss on: it is not trained on, so it is no member either,
   * and no attack scores it.
   */
  const holdOut = (model: ModelDef, idx: number[], base: string): { train: number[]; validation: number[] } => {
    const es = model.train.earlyStopping;
    if (!es) return { train: idx, validation: [] };
    const k = Math.max(1, Math.round(es.validation * idx.length));
    if (k >= idx.length)
      throw new CompileError(
        `Early stopping of model "${model.name}" holds out ${k} of ${idx.length} training records, leaving none to train on.`,
        model.range,
      );
    const order = permutation(idx.length, makeRng(deriveSeed(seed, `validation/${base}`)));
    const held = new Set(order.slice(0, k));
    return { train: idx.filter((_, i) => !held.has(i)), validation: idx.filter((_, i) => held.has(i)) };
  };
  /** Trains a model on `draw` (less any validation hold-out) and queries it; returns the query job and the records trained on. */
  const trainAndQuery = (
    role: 'target' | 'shadow',
    owner: string,
    index: number,
    model: ModelDef,
    ds: string,
    draw: number[],
  ): { query: string; trained: number[] } => {
    const base = role === 'target' ? `target/${owner}` : `shadow/${owner}/${index}`;
    const { train: trainIdx, validation } = holdOut(model, draw, base);
    const spec: TrainSpec = {
      kind: 'train',
      role,
      owner,
      index,
      model: stripRange(model),
      dataset: ds,
      trainIdx,
      ...(validation.length ? { validationIdx: validation } : {}),
      seed: deriveSeed(seed, `train/${base}`),
    };
    const label = role === 'target' ? `target ${owner}` : `shadow ${owner} #${index + 1}`;
    const t = add(`train/${base}`, `train ${label}`, [], spec);
    const q: QuerySpec = { kind: 'query', dataset: ds, model: t.id };
    return { query: add(`query/${base}`, `query ${label}`, [t.id], q).id, trained: trainIdx };
  };

  const trainedTarget = trainAndQuery('target', target.name, 0, modelOf(target.model), dataset, drawnMembers);
  const targetQuery = trainedTarget.query;
  const members = trainedTarget.trained;

  const usedShadows = new Set(program.attacks.flatMap((a) => attackShadows(a)));
  const shadowInputs = new Map<string, ShadowInput>();
  for (const s of program.shadows) {
    if (!usedShadows.has(s.name)) continue;
    if (s.pool.dataset !== dataset)
      throw new CompileError(
        `The pool of shadows "${s.name}" must come from the target's dataset "${dataset}".`,
        s.pool.range,
      );
    let splits;
    try {
      splits = shadowSplits(subsets.get(`shadows/${s.name}/pool`)!, s.count, s.size, s.sampling, seed, s.name);
    } catch (e) {
      throw new CompileError((e as Error).message, s.range);
    }
    const models = splits.map((sp, i) => {
      const t = trainAndQuery('shadow', s.name, i, modelOf(s.model), dataset, sp.inIdx);
      return { query: t.query, inIdx: t.trained, outIdx: sp.outIdx };
    });
    shadowInputs.set(s.name, { name: s.name, models });
  }

  const candidates = [...members, ...nonmembers];
  const candidateSet = new Set(candidates);
  const fprLevels = fprLevelsFor(program.report.metrics.flatMap((m) => (m.kind === 'tprAtFpr' ? [m.fpr] : [])));
  const release = releaseOf(target);
  const attacks: AttackPlan[] = [];
  for (const a of program.attacks) {
    if (a.kind !== 'label_only' && release.kind === 'labels') {
      throw new CompileError(
        `The target "${target.name}" releases labels only, but the ${a.kind} attack "${a.name}" needs probabilities.`,
        a.range,
      );
    }
    const shadows = attackShadows(a).map((n) => shadowInputs.get(n)!);
    const population = populationOf(a, subsets, candidateSet, seed);
    const augs = a.kind === 'label_only' || a.kind === 'lira' ? a.augmentations : [];
    let augmented: AttackJobSpec['augmented'] = null;
    if (augs.length > 0) {
      const augSeed = deriveSeed(seed, `augment/${a.name}`);
      const aq = (id: string, label: string, train: string): string => {
        const spec: AugmentQuerySpec = {
          kind: 'augment_query',
          dataset,
          model: train,
          augmentations: augs,
          seed: augSeed,
        };
        return add(id, label, [train], spec).id;
      };
      augmented = {
        target: aq(
          `augquery/${a.name}/target`,
          `query target ${target.name} augmented for ${a.name}`,
          `train/target/${target.name}`,
        ),
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
    const spec: AttackJobSpec = {
      kind: 'attack',
      attack: stripRange(a) as Unlocated<AttackDef>,
      dataset,
      target: targetQuery,
      candidates,
      shadows,
      release,
      population,
      augmented,
      seed: deriveSeed(seed, `attack/${a.name}`),
    };
    const deps = [
      targetQuery,
      ...shadows.flatMap((s) => s.models.map((m) => m.query)),
      ...(augmented ? [augmented.target, ...augmented.shadows.flatMap((s) => s.queries)] : []),
    ];
    const job = add(`attack/${a.name}`, `attack ${a.name}`, deps, spec);
    const ev: EvaluateSpec = {
      kind: 'evaluate',
      dataset,
      attack: job.id,
      candidates,
      members: members.length,
      fprLevels,
      seed: deriveSeed(seed, `bootstrap/${a.name}`),
    };
    const evaluate = add(`evaluate/${a.name}`, `evaluate ${a.name}`, [job.id], ev);
    attacks.push({ name: a.name, kind: a.kind, job: job.id, evaluate: evaluate.id });
  }

  function populationOf(a: AttackDef, subs: Map<string, number[]>, cands: Set<number>, s: number): number[] {
    if (a.kind === 'population') {
      const pop = subs.get(`attack/${a.name}/population`)!.filter((r) => !cands.has(r));
      if (pop.length === 0)
        throw new CompileError(
          `The population of attack "${a.name}" has no records outside the target's members and non-members.`,
          a.population.range,
        );
      return pop;
    }
    if (a.kind !== 'rmia') return [];
    const from = (
      a.population ? subs.get(`attack/${a.name}/population`)! : subs.get(`shadows/${a.shadows}/pool`)!
    ).filter((r) => !cands.has(r));
    if (from.length === 0)
      throw new CompileError(
        `RMIA "${a.name}" finds no population records outside the target's members and non-members.`,
        a.range,
      );
    const order = permutation(from.length, makeRng(deriveSeed(s, `population/${a.name}`)));
    return order.slice(0, Math.min(a.populationSize, from.length)).map((i) => from[i]!);
  }

  return {
    seed,
    jobs,
    target: {
      name: target.name,
      train: `train/target/${target.name}`,
      query: targetQuery,
      dataset,
      members,
      nonmembers,
    },
    attacks,
  };
}

/** The shadow/reference model sets an attack uses. */
export function attackShadows(a: Unlocated<AttackDef>): string[] {
  switch (a.kind) {
    case 'shadow_model':
    case 'ml_leaks':
    case 'lira':
    case 'rmia':
      return [a.shadows];
    case 'threshold':
    case 'label_only':
      return a.shadows === null ? [] : [a.shadows];
    case 'population':
      return [];
  }
}

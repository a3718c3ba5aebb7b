/**
 * The size of a plan, from the program before it is compiled: sweep points, jobs, the records each model
 * trains on, the record passes of all training, and the augmented queries of each attack. One place
 * computes it; the rule plan-size (E119) refuses what is past the limits of src/kinds/size-limits.ts, naming
 * the setting that drives it, before any work starts (a 10⁶-point sweep, translate(1000000) and canaries
 * repeated 10⁶ times each ran for minutes or took gigabytes at plan).
 */
import { attackAugmentations, attackDataRefs, attackShadows } from '../attacks/needs.js';
import { augmentationCount, augmentationQueries } from '../data/augment.js';
import { fmtN, subsetSize } from './facts.js';
import { LIMITS } from '../kinds/size-limits.js';
import { applySweepPoint, sweepPoints } from './sweep.js';
import { type DataRef, shadowCount, trainedShadows, type TypedProgram } from '../kinds/program.js';
import { trainedModel } from './read/target-sources/index.js';

type Program = Pick<TypedProgram, 'datasets' | 'models' | 'targets' | 'shadows' | 'attacks' | 'sweep'>;

/** A quantity past its limit: the sentence names it and how it is made; `at` (and `field`) is the setting. */
export interface Excess {
  amount: number;
  limit: number;
  message: string;
  hint: string;
  at: object;
  field?: string;
}

/** Models trained alike: `models` of them, each on `records` records for `epochs` epochs. */
interface Training {
  who: string;
  models: number;
  records: number;
  epochs: number;
  /** The setting that drives it: the shadows' count, the target's members or the canaries' repeat. */
  at: object;
  field: string;
  /** The setting that sets its records: the shadows' size, the target's members or the canaries' repeat. */
  recordsField: string;
}

export interface PlanSize {
  points: number;
  /** Jobs of the busiest point (an estimate: each model's train and query jobs, each attack's per target). */
  jobsPerPoint: number;
  /** Jobs over every point, each point with the counts its sweep sets. */
  jobs: number;
  trainings: Training[];
  /** Record passes of all training over all points: Σ models × records × epochs. */
  passes: number;
}

const sizeOf = (p: Program, ref: DataRef): number => subsetSize(p, ref)?.n ?? 0;

export const sweepPointCount = (p: Pick<TypedProgram, 'sweep'>): number =>
  p.sweep.reduce((n, a) => n * a.values.length, 1);

function trainings(p: Program): Training[] {
  const epochs = (name: string): number => p.models.find((m) => m.name === name)?.train.epochs ?? 0;
  const out: Training[] = [];
  for (const t of p.targets) {
    const model = trainedModel(t);
    if (model === null) continue;
    const members = sizeOf(p, t.members);
    const c = t.canaries;
    const copies = c ? sizeOf(p, c.data) * c.repeat : 0;
    const who = `target "${t.name}"`;
    const at = c && copies > members ? { at: c, field: 'repeat' } : { at: t, field: 'members' };
    out.push({ who, models: 1, records: members + copies, epochs: epochs(model), ...at, recordsField: at.field });
  }
  for (const s of trainedShadows(p.shadows))
    out.push({
      who: `shadows "${s.name}"`,
      models: s.count,
      records: s.size,
      epochs: epochs(s.model),
      at: s,
      field: 'count',
      recordsField: 'size',
    });
  return out;
}

/** The size of one point: the program without its sweep. */
function pointSize(p: Program): PlanSize {
  const ts = trainings(p);
  const targets = Math.max(1, p.targets.length);
  const models = ts.reduce((n, t) => n + t.models, 0);
  const jobsPerPoint = 2 * models + 2 * p.attacks.length * targets;
  const passes = ts.reduce((n, t) => n + t.models * t.records * t.epochs, 0);
  return { points: 1, jobsPerPoint, jobs: jobsPerPoint, trainings: ts, passes };
}

/**
 * The plan's size over its sweep: each point's jobs and passes with the counts the sweep sets there
 * (`refs.count in [1000, 4000]` counts 4,000 at its points), summed; past the limit on points (refused
 * anyway) or where a sweep path does not apply (reported by checkSweep), the declared counts × points.
 */
export function planSize(p: Program): PlanSize {
  const base = pointSize(p);
  const points = sweepPointCount(p);
  const scaled = { ...base, points, jobs: base.jobsPerPoint * points, passes: base.passes * points };
  if (p.sweep.length === 0 || points > LIMITS.sweepPoints) return scaled;
  try {
    let [jobs, passes, busiest] = [0, 0, 0];
    for (const point of sweepPoints(p, LIMITS.sweepPoints)) {
      const s = pointSize(applySweepPoint(p as TypedProgram, point));
      [jobs, passes, busiest] = [jobs + s.jobs, passes + s.passes, Math.max(busiest, s.jobs)];
    }
    return { ...base, points, jobsPerPoint: busiest, jobs, passes };
  } catch {
    return scaled;
  }
}

const times = (points: number): string => (points > 1 ? ` × ${fmtN(points)} sweep points` : '');

/** The sweep's points and the plan's jobs. */
function jobExcess(p: Program, size: PlanSize): Excess[] {
  const out: Excess[] = [];
  const widest = [...p.sweep].sort((a, b) => b.values.length - a.values.length)[0];
  if (widest && size.points > LIMITS.sweepPoints)
    out.push({
      amount: size.points,
      limit: LIMITS.sweepPoints,
      message: `The sweep has ${p.sweep.map((a) => fmtN(a.values.length)).join(' × ')} = ${fmtN(size.points)} points`,
      hint: 'Sweep fewer values, or split the grid over several files.',
      at: widest,
      field: 'values',
    });
  const jobs = size.jobs;
  const most = [...size.trainings].sort((a, b) => b.models - a.models)[0];
  if (jobs > LIMITS.jobs && size.points <= LIMITS.sweepPoints)
    out.push({
      amount: jobs,
      limit: LIMITS.jobs,
      message:
        size.points > 1
          ? `The plan has about ${fmtN(jobs)} jobs (${fmtN(size.points)} sweep points, up to ${fmtN(size.jobsPerPoint)} jobs a point)`
          : `The plan has about ${fmtN(jobs)} jobs`,
      hint: `Lower ${most && most.models > 1 ? `the count of ${most.who}` : 'the number of models and attacks'}${size.points > 1 ? ' or the sweep' : ''}.`,
      at: most && most.models > 1 ? most.at : (widest ?? most?.at ?? p),
      ...(most && most.models > 1 ? { field: 'count' } : widest ? { field: 'values' } : {}),
    });
  return out;
}

/** Each model's training set, and the record passes of all training. */
function trainingExcess(size: PlanSize): Excess[] {
  const out: Excess[] = [];
  for (const t of size.trainings)
    if (t.records > LIMITS.trainingRecords)
      out.push({
        amount: t.records,
        limit: LIMITS.trainingRecords,
        message: `Each model of ${t.who} trains on ${fmtN(t.records)} records${t.field === 'repeat' ? ' (its canaries repeated)' : ''}`,
        hint:
          t.field === 'repeat' ? 'Lower the canaries\u2019 repeat, or use fewer canaries.' : 'Train on fewer records.',
        at: t.at,
        field: t.recordsField,
      });
  const top = [...size.trainings].sort((a, b) => b.models * b.records * b.epochs - a.models * a.records * a.epochs)[0];
  if (top && size.passes > LIMITS.trainingPasses)
    out.push({
      amount: size.passes,
      limit: LIMITS.trainingPasses,
      message:
        `Training passes over ${fmtN(size.passes)} records in all (${top.who}: ${fmtN(top.models)} × ` +
        `${fmtN(top.records)} records × ${fmtN(top.epochs)} epochs${times(size.points)})`,
      hint: 'Lower the epochs, the shadow counts, the training sizes or the sweep.',
      at: top.at,
      field: top.field,
    });
  return out;
}

/** Each attack's augmented copies of a record, and its queries in all. */
function queryExcess(p: Program): Excess[] {
  const out: Excess[] = [];
  for (const a of p.attacks) {
    const augs = attackAugmentations(a);
    if (augs.length === 0) continue;
    const per = augmentationQueries(augs);
    const worst = [...augs].sort((x, y) => augmentationCount(y) - augmentationCount(x))[0]!;
    const what = `The augmentations of ${a.kind} "${a.name}"`;
    const how = `${worst.kind}: ${fmtN(augmentationCount(worst))}`;
    const hint = 'Use fewer or smaller augmentations (translate(d) makes 4d copies, noise and flip_bits their count).';
    if (per > LIMITS.queries) {
      out.push({
        amount: per,
        limit: LIMITS.queries,
        message: `${what} query ${fmtN(per)} copies of each record (${how})`,
        hint,
        at: a,
        field: 'augmentations',
      });
      continue;
    }
    const records = queriedRecords(p, a.settings.target);
    const models = 1 + attackShadows(a).reduce((n, s) => n + shadowsCountOf(p, s), 0);
    const all = per * records * models;
    if (all > LIMITS.queriesTotal)
      out.push({
        amount: all,
        limit: LIMITS.queriesTotal,
        message: `${what} make ${fmtN(per)} copies × ${fmtN(records)} records × ${fmtN(models)} models = ${fmtN(all)} queries`,
        hint,
        at: a,
        field: 'augmentations',
      });
  }
  return out;
}

/** The data an attack's settings name (a population, a synthetic pool's source): at most a population's size. */
function dataExcess(p: Program): Excess[] {
  return p.attacks.flatMap((a) =>
    attackDataRefs(a).flatMap(({ setting, ref }): Excess[] => {
      const n = sizeOf(p, ref);
      if (n <= LIMITS.populationSize) return [];
      return [
        {
          amount: n,
          limit: LIMITS.populationSize,
          message: `The ${setting} of ${a.kind} "${a.name}" has ${fmtN(n)} records`,
          hint: 'Use fewer records.',
          at: a,
          field: setting,
        },
      ];
    }),
  );
}

/** The records an attack scores on the target (named, or the largest): members, non-members and canaries. */
function queriedRecords(p: Program, target: unknown): number {
  const of = p.targets.filter((t) => typeof target !== 'string' || t.name === target);
  return Math.max(
    0,
    ...of.map((t) => sizeOf(p, t.members) + sizeOf(p, t.nonmembers) + (t.canaries ? sizeOf(p, t.canaries.data) : 0)),
  );
}

/** Every quantity of the plan past its limit. */
export function planExcess(p: Program): Excess[] {
  const size = planSize(p);
  return [...jobExcess(p, size), ...trainingExcess(size), ...queryExcess(p), ...dataExcess(p)];
}

/** The models of shadow set `name`, where the spec tells (a glob of ONNX files: counted, and bounded, by the plan). */
function shadowsCountOf(p: Program, name: string): number {
  const s = p.shadows.find((x) => x.name === name);
  return (s && shadowCount(s)) ?? 0;
}

/**
 * compile: typed program + dataset facts → plan. Splits are allocated here (seeded), so every job's
 * spec names exactly the records it uses, and its hash changes exactly when its output could. The
 * phases of one point: compile-point.ts (subsets, training and queries), compile-attacks.ts (attack
 * and evaluate jobs).
 */
import { applySweepPoint, sweepPoints, type SweepAssignment, type TypedProgram } from '../check/index.js';
import type { Staged } from '../lang/index.js';
import { PlanStop } from './compile-common.js';
import { compilePoint } from './compile-point.js';
import { mergePoints } from './merge.js';
import { withJoinedDatasets } from './joined.js';
import { sliceColumns } from './slices.js';
import type { DatasetInfo, Plan } from './plan.js';

export { attackShadows } from '../attacks/needs.js';
export { JOB_VERSIONS, PlanStop } from './compile-common.js';
export { compilePoint } from './compile-point.js';

/** The facts of a program's datasets: a sweep over a dataset setting asks again at each point. */
export type DatasetsOf = (program: TypedProgram) => DatasetInfo[];

/**
 * The compile phase: the plan of a checked program, or the diagnostic that says why it has none. The
 * phase stops at its first error (a point cannot be built past it); nothing else leaves it as an exception
 * but a defect of mia's own or a data file that cannot be read (`datasets`' own errors).
 */
export function compile(program: TypedProgram, datasets: DatasetInfo[] | DatasetsOf, backend: string): Staged<Plan> {
  try {
    return { value: compilePoints(program, datasets, backend), diagnostics: [] };
  } catch (e) {
    if (e instanceof PlanStop) return { value: null, diagnostics: [e.diagnostic] };
    throw e;
  }
}

/**
 * The plan of an experiment: one per sweep point, merged so points share every job they have in
 * common (same hash), e.g. a sweep over attack settings trains its shadow models once. A point that
 * sets a dataset's setting has its own data: that dataset is named `NAME@SETTING=VALUE` at the point
 * (so its jobs, and its data's cache key, are its own), the others keep their names and their jobs.
 */
function compilePoints(program: TypedProgram, datasets: DatasetInfo[] | DatasetsOf, backend: string): Plan {
  const given: DatasetsOf = typeof datasets === 'function' ? datasets : () => datasets;
  const load: DatasetsOf = (p) => withJoinedDatasets(p, given(p));
  const base = load(program);
  const known = new Map(base.map((d) => [d.name, d]));
  const points = sweepPoints(program).map((assignments: SweepAssignment[]) => {
    const params = Object.fromEntries(assignments.map((a) => [a.path.join('.'), a.value]));
    try {
      const { program: q, datasets: infos } = pointProgram(program, assignments, base, load);
      for (const d of infos) if (!known.has(d.name)) known.set(d.name, d);
      return { params, plan: compilePoint(q, infos, backend) };
    } catch (e) {
      if (!(e instanceof PlanStop) || !assignments.length) throw e;
      const at = assignments.map((a) => `${a.path.join('.')} = ${a.value}`).join(', ');
      throw new PlanStop({ ...e.diagnostic, message: `At the sweep point ${at}: ${e.diagnostic.message}` });
    }
  });
  const infos = [...known.values()].map(({ labels: _, membership: __, ...d }) => d);
  const plan = mergePoints(program, infos, backend, points);
  const slices = sliceColumns(program, infos, plan.runs);
  return slices ? { ...plan, slices: slices.columns, sliceValues: slices.values } : plan;
}

/** The program of a sweep point, its swept datasets renamed after their settings, and its datasets' facts. */
function pointProgram(
  program: TypedProgram,
  assignments: SweepAssignment[],
  base: DatasetInfo[],
  load: DatasetsOf,
): { program: TypedProgram; datasets: DatasetInfo[] } {
  if (!assignments.length) return { program, datasets: base };
  const q = applySweepPoint(program, assignments);
  const renames = new Map<string, string>();
  for (const d of program.datasets) {
    const now = q.datasets.find((x) => x.name === d.name)!;
    if (JSON.stringify(now.source) === JSON.stringify(d.source)) continue;
    const set = assignments.filter((a) => a.path[0] === d.name).map((a) => `${a.path.slice(1).join('.')}=${a.value}`);
    renames.set(d.name, `${d.name}@${set.join(',')}`);
  }
  if (!renames.size) return { program: q, datasets: base };
  renameDatasets(q, renames);
  return { program: q, datasets: load(q) };
}

/** Renames datasets in place: their declarations and every reference to them (a `dataset` field). */
function renameDatasets(v: unknown, renames: ReadonlyMap<string, string>): void {
  if (Array.isArray(v)) for (const x of v) renameDatasets(x, renames);
  else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.dataset === 'string' && renames.has(o.dataset)) o.dataset = renames.get(o.dataset);
    for (const [k, x] of Object.entries(o)) if (k !== 'range') renameDatasets(x, renames);
  }
  if (v !== null && typeof v === 'object' && 'datasets' in v) {
    for (const d of (v as TypedProgram).datasets) d.name = renames.get(d.name) ?? d.name;
  }
}

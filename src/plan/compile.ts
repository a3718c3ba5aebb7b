/**
 * compile: typed program + dataset facts → plan. Splits are allocated here (seeded), so every job's
 * spec names exactly the records it uses, and its hash changes exactly when its output could. The
 * phases of one point: compile-point.ts (subsets, training and queries), compile-attacks.ts (attack
 * and evaluate jobs).
 */
import { applySweepPoint, sweepPoints, type SweepAssignment, type TypedProgram } from '../check/index.js';
import { CompileError } from './compile-common.js';
import { compilePoint } from './compile-point.js';
import { mergePoints } from './merge.js';
import type { DatasetInfo, Plan } from './plan.js';

export { attackShadows } from '../attacks/needs.js';
export { CompileError, JOB_VERSIONS } from './compile-common.js';
export { compilePoint } from './compile-point.js';

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

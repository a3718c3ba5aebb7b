/**
 * Label-only boundary distance (Choquette-Choo et al. 2021), with label queries only. Not HopSkipJump: a
 * non-adaptive search along random directions, so every query is known before any answer and a remote
 * target is asked in one counted batch. Per record, `directions` random unit directions u_j are probed at
 * the radii radius·s/steps (s = 1..steps); the distance along u_j is the first radius whose predicted label
 * differs from the true one (radius·(steps+1)/steps when none does), and the score is the mean over the
 * directions (0 for a record already misclassified). Members sit farther from the boundary: higher = member.
 * Queries per record: 1 + directions · steps, counted against a remote target's budget.
 */
import { AttackInputError, type AttackContext } from './context.js';
import { predictedLabel } from './signals.js';

export interface BoundarySettings {
  radius: number;
  directions: number;
  steps: number;
}

export function boundaryAttack(ctx: AttackContext, s: BoundarySettings): Float64Array {
  const aug = ctx.augmented?.target;
  if (!aug || aug.copies !== 1 + s.directions * s.steps)
    throw new AttackInputError("The boundary_distance attack needs the target's answers on its probes.");
  const label = (copy: number, r: number): number => predictedLabel(aug.signals, copy * aug.n + r);
  return Float64Array.from(ctx.candidates, (r) => {
    const y = ctx.labels[r]!;
    if (label(0, r) !== y) return 0;
    let sum = 0;
    for (let j = 0; j < s.directions; j++) {
      let step = s.steps + 1;
      for (let k = 1; k <= s.steps; k++)
        if (label(1 + j * s.steps + (k - 1), r) !== y) {
          step = k;
          break;
        }
      sum += (s.radius * step) / s.steps;
    }
    return sum / s.directions;
  });
}

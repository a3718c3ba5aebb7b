/**
 * The population attack (Ye et al. 2022, attack P): the score of a record is the fraction of
 * population records z (known non-members) whose loss under the target is at least the record's
 * loss: a record with a loss lower than most of the population is likely a member.
 */
import { AttackInputError, type AttackContext } from './context.js';
import { upperBound } from './rmia.js';
import { lossOf } from './signals.js';

/** For each candidate loss, the fraction of population losses ≥ it. */
export function populationScores(candidateLoss: ArrayLike<number>, populationLoss: ArrayLike<number>): Float64Array {
  if (populationLoss.length === 0) throw new AttackInputError('The population attack needs population records.');
  // Negate, so "z loss ≥ x loss" becomes "−z loss ≤ −x loss", counted in the sorted negatives.
  const neg = Float64Array.from(populationLoss, (v) => -v).sort();
  return Float64Array.from(candidateLoss, (l) => upperBound(neg, -l) / neg.length);
}

export function populationAttack(ctx: AttackContext): Float64Array {
  if (!ctx.population || ctx.population.length === 0)
    throw new AttackInputError('The population attack needs population records.');
  const loss = (r: number): number => lossOf(ctx.target, r, ctx.labels[r]!);
  return populationScores(ctx.candidates.map(loss), ctx.population.map(loss));
}

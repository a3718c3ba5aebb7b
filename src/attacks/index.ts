import { match } from 'ts-pattern';
import type { AttackDef } from '../check/index.js';
import type { AttackContext } from './context.js';
import { shadowModelAttack } from './shadow-model.js';
import { thresholdAttack } from './threshold.js';

export * from './context.js';
export * from './signals.js';
export { fitLogistic, predictLogistic } from './fit/logistic.js';

/** Runs one attack: one score per candidate, higher = more likely a member. */
export function runAttack(def: AttackDef, ctx: AttackContext): Float64Array {
  return match(def)
    .with({ kind: 'threshold' }, (d) => thresholdAttack(ctx, d.signal))
    .with({ kind: 'shadow_model' }, (d) => shadowModelAttack(ctx, d.shadows, d.perClass))
    .exhaustive();
}

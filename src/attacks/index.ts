import { match } from 'ts-pattern';
import type { AttackDef, Unlocated } from '../check/index.js';
import { AttackInputError, type AttackContext } from './context.js';
import { shadowModelAttack } from './shadow-model.js';
import { thresholdAttack } from './threshold.js';

export * from './context.js';
export * from './signals.js';
export { fitLogistic, predictLogistic } from './fit/logistic.js';

/** Runs one attack: one score per candidate, higher = more likely a member. */
export function runAttack(def: Unlocated<AttackDef>, ctx: AttackContext): Float64Array {
  return match(def)
    .with({ kind: 'threshold' }, (d) => thresholdAttack(ctx, d.signal))
    .with({ kind: 'shadow_model' }, (d) => shadowModelAttack(ctx, d.shadows, d.perClass))
    .with({ kind: 'ml_leaks' }, { kind: 'label_only' }, { kind: 'lira' }, { kind: 'rmia' }, { kind: 'population' }, (d) => {
      throw new AttackInputError(`The ${d.kind} attack is not supported yet.`);
    })
    .exhaustive();
}

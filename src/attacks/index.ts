import type { AttackDef, Unlocated } from '../kinds/program.js';
import type { AttackContext } from './context.js';
import { attackOf } from './needs.js';

export * from './context.js';
export * from './signals.js';
export { fitLogistic, predictLogistic } from './fit/logistic.js';
export { fitMlp, predictMlp } from './fit/mlp.js';
export { liraScores, liraScoresAveraged, clipPhi, type LiraSignals, type LiraOptions } from './lira.js';
export { rmiaScores, rmiaRatios, type RmiaSignals, type RmiaOptions } from './rmia.js';
export { populationScores } from './population.js';
export { calibrateThresholds, signalScore } from './threshold.js';
export { logNormalCdf, logNormalPdf, mean, median, std, trimmedMean } from '../metrics/normal-tails.js';

/** Runs one attack: one score per candidate, higher = more likely a member. */
export function runAttack(def: Unlocated<AttackDef>, ctx: AttackContext): Float64Array {
  return attackOf(def).score(ctx, def.settings);
}

export {
  defineAttack,
  writtenSettings,
  type AnyAttack,
  type AttackCheck,
  type AttackDescriptor,
  type PopulationNeed,
} from './kind.js';
export { attackKind, attackKinds, registerAttack } from './kinds/index.js';
export {
  attackAugmentations,
  attackDataRefs,
  attackOf,
  attackPopulation,
  attackShadows,
  attackTitle,
} from './needs.js';
export {
  lossAt,
  mapRows,
  coverage,
  type RecordSignals,
  type ScoredVariant,
  type SignalsEnv,
  type SignalsInput,
} from './signals-input.js';
export { scoreSignals, signalAttacks, type SignalsOptions } from './from-signals.js';

import { match } from 'ts-pattern';
import type { AttackDef, Unlocated } from '../check/index.js';
import type { AttackContext } from './context.js';
import { labelOnlyAttack } from './label-only.js';
import { liraAttack } from './lira.js';
import { mlLeaksAttack } from './ml-leaks.js';
import { populationAttack } from './population.js';
import { rmiaAttack } from './rmia.js';
import { shadowModelAttack } from './shadow-model.js';
import { thresholdAttack } from './threshold.js';

export * from './context.js';
export * from './signals.js';
export { fitLogistic, predictLogistic } from './fit/logistic.js';
export { fitMlp, predictMlp } from './fit/mlp.js';
export { applyRelease } from './release.js';
export { liraScores, liraScoresAveraged, clipPhi, type LiraSignals, type LiraOptions } from './lira.js';
export { rmiaScores, rmiaRatios, type RmiaSignals, type RmiaOptions } from './rmia.js';
export { populationScores } from './population.js';
export { calibrateThresholds, signalScore } from './threshold.js';
export { logNormalCdf, logNormalPdf, mean, std } from './stats.js';

/** Runs one attack: one score per candidate, higher = more likely a member. */
export function runAttack(def: Unlocated<AttackDef>, ctx: AttackContext): Float64Array {
  const seed = ctx.seed ?? 0;
  return match(def)
    .with({ kind: 'threshold' }, (d) => thresholdAttack(ctx, d.signal, d.calibration, d.shadows))
    .with({ kind: 'shadow_model' }, (d) =>
      shadowModelAttack(ctx, d.shadows, { perClass: d.perClass, classifier: d.classifier, features: d.features, seed }),
    )
    .with({ kind: 'ml_leaks' }, (d) => mlLeaksAttack(ctx, d.shadows, d.top, seed))
    .with({ kind: 'label_only' }, (d) => labelOnlyAttack(ctx, d.method, d.shadows))
    .with({ kind: 'lira' }, (d) =>
      liraAttack(ctx, d.shadows, {
        mode: d.mode,
        fixedVariance: d.fixedVariance,
        augmented: d.augmentations.length > 0,
      }),
    )
    .with({ kind: 'rmia' }, (d) => rmiaAttack(ctx, d.shadows, { mode: d.mode, a: d.a, gamma: d.gamma }))
    .with({ kind: 'population' }, () => populationAttack(ctx))
    .exhaustive();
}

export {
  scoreSignals,
  SIGNAL_ATTACKS,
  type SignalAttack,
  type SignalsInput,
  type RecordSignals,
  type ScoredVariant,
} from './from-signals.js';

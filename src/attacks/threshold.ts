/**
 * Threshold attacks (Yeom et al. 2018; Song & Mittal 2021): the signal itself is the score, so the
 * ROC sweeps every threshold. Higher = member: score = −loss, p_y, −entropy, −modified entropy.
 */
import { match } from 'ts-pattern';
import type { Signal } from '../check/index.js';
import type { AttackContext } from './context.js';
import { entropyOf, logProbOfLabel, modifiedEntropyOf, probabilities, type ModelSignals } from './signals.js';

export function signalScore(signal: Signal, s: ModelSignals, r: number, y: number): number {
  return match(signal)
    .with('loss', () => logProbOfLabel(s, r, y))
    .with('confidence', () => probabilities(s, r)[y]!)
    .with('entropy', () => -entropyOf(probabilities(s, r)))
    .with('modified_entropy', () => -modifiedEntropyOf(probabilities(s, r), y, logProbOfLabel(s, r, y)))
    .exhaustive();
}

export function thresholdAttack(ctx: AttackContext, signal: Signal): Float64Array {
  return Float64Array.from(ctx.candidates, (r) => signalScore(signal, ctx.target, r, ctx.labels[r]!));
}

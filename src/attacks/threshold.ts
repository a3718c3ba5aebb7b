/**
 * Threshold attacks (Yeom et al. 2018; Song & Mittal 2021): the signal itself is the score, so the
 * ROC sweeps every threshold. Higher = member: score = −loss, p_y, −entropy, −modified entropy.
 * Calibrated per class (Song & Mittal): on the shadow models' own training (in) and held-out (out)
 * records, each class gets the threshold of best balanced accuracy; a target record's score is its
 * signal minus its class's threshold, so one global sweep applies every class's calibration.
 */
import { match } from 'ts-pattern';
import type { Signal } from '../kinds/program.js';
import { roc, thresholdAt } from '../metrics/index.js';
import { AttackInputError, type AttackContext, type ReferenceModel } from './context.js';
import { entropyOf, logProbOfLabel, modifiedEntropyOf, probabilities, type ModelSignals } from './signals.js';

export function signalScore(signal: Signal, s: ModelSignals, r: number, y: number): number {
  return match(signal)
    .with('loss', () => logProbOfLabel(s, r, y))
    .with('confidence', () => probabilities(s, r)[y]!)
    .with('entropy', () => -entropyOf(probabilities(s, r)))
    .with('modified_entropy', () => -modifiedEntropyOf(probabilities(s, r), y, logProbOfLabel(s, r, y)))
    .exhaustive();
}

/**
 * The threshold of best balanced accuracy per class on the given (score, in/out, class) samples;
 * a class without both in and out samples (or whose best threshold is not finite) gets the global one.
 */
export function calibrateThresholds(
  scores: readonly number[],
  member: readonly number[],
  cls: readonly number[],
  classes: number,
): Float64Array {
  const best = (idx: number[]): number | null => {
    const m = idx.map((i) => member[i]!);
    if (!m.includes(1) || !m.includes(0)) return null;
    const t = thresholdAt(
      roc(
        idx.map((i) => scores[i]!),
        m,
      ),
    );
    return Number.isFinite(t) ? t : null;
  };
  const all = scores.map((_, i) => i);
  const global = best(all) ?? 0;
  return Float64Array.from({ length: classes }, (_, c) => best(all.filter((i) => cls[i] === c)) ?? global);
}

export function thresholdAttack(
  ctx: AttackContext,
  signal: Signal,
  calibration: 'global' | 'per_class' = 'global',
  shadowsName: string | null = null,
): Float64Array {
  const raw = Float64Array.from(ctx.candidates, (r) => signalScore(signal, ctx.target, r, ctx.labels[r]!));
  if (calibration === 'global') return raw;
  const shadows: readonly ReferenceModel[] | undefined =
    shadowsName === null ? undefined : ctx.shadows.get(shadowsName);
  if (!shadows || shadows.length === 0)
    throw new AttackInputError('A per-class calibrated threshold attack needs shadow models.');
  const scores: number[] = [],
    member: number[] = [],
    cls: number[] = [];
  for (const sh of shadows) {
    for (const [idx, lab] of [
      [sh.inIdx, 1],
      [sh.outIdx, 0],
    ] as const) {
      for (const r of idx) {
        const y = ctx.labels[r]!;
        scores.push(signalScore(signal, sh.signals, r, y));
        member.push(lab);
        cls.push(y);
      }
    }
  }
  const t = calibrateThresholds(scores, member, cls, ctx.classes);
  return raw.map((v, i) => v - t[ctx.labels[ctx.candidates[i]!]!]!);
}

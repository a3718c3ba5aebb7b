/**
 * The scoring attacks on precomputed signals (`mia attack --signals`): every attack kind whose
 * descriptor has `fromSignals` (src/attacks/signals-input.ts describes the input). Each attack yields
 * one or more named variants, each one score per scored record.
 */
import { AttackInputError } from './context.js';
import { attackKinds } from './kinds/index.js';
import type { ScoredVariant, SignalsEnv, SignalsInput } from './signals-input.js';

export interface SignalsOptions {
  attacks: readonly string[];
  explicit: boolean;
  a: number;
  gamma: number;
  /** RMIA's trim (0: the plain mean) and LiRA's centre (mean by default). */
  rmiaTrim?: number;
  liraCentre?: 'mean' | 'median';
}

/** The kinds that can run on precomputed signals, in registration order. */
export const signalAttacks = (): string[] => attackKinds().flatMap((d) => (d.fromSignals ? [d.kind] : []));

/** Runs the asked attacks; `notes` says which variants were skipped and why (an error if the attack was asked for explicitly). */
export function scoreSignals(input: SignalsInput, o: SignalsOptions): { variants: ScoredVariant[]; notes: string[] } {
  const scored: number[] = [],
    population: number[] = [];
  input.member.forEach((m, r) => (m >= 0 ? scored : population).push(r));
  const variants: ScoredVariant[] = [];
  const notes: string[] = [];
  for (const attack of o.attacks) {
    const d = attackKinds().find((k) => k.kind === attack);
    if (!d?.fromSignals) throw new AttackInputError(`The ${attack} attack cannot run on precomputed signals.`);
    const env: SignalsEnv = {
      input,
      scored,
      population,
      a: o.a,
      gamma: o.gamma,
      rmiaTrim: o.rmiaTrim ?? 0,
      liraCentre: o.liraCentre ?? 'mean',
      skip: (why) => {
        if (o.explicit) throw new AttackInputError(`The ${attack} attack cannot run on these signals: ${why}`);
        notes.push(`${attack} skipped: ${why}`);
      },
      note: (text) => notes.push(text),
    };
    variants.push(...d.fromSignals(env));
  }
  return { variants, notes };
}

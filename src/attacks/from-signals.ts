/**
 * The scoring attacks on precomputed signals (`mia attack --signals`): per-record losses or logits
 * of the target and of reference models, with the references' in/out masks, exported from any
 * framework (the way TensorFlow Privacy's AttackInputData works). Each attack yields one or more
 * named variants, each one score per scored record.
 */
import { AttackInputError } from './context.js';
import { liraScores } from './lira.js';
import { clipPhi } from './lira.js';
import { populationScores } from './population.js';
import { rmiaScores, type RmiaSignals } from './rmia.js';
import {
  entropyOf,
  logitConfidence,
  logitConfidenceFromLoss,
  lossOf,
  modifiedEntropyOf,
  probabilities,
  type ModelSignals,
} from './signals.js';

/** One model's per-record signals: full logits (with the labels), or the loss −log p_y only. */
export type RecordSignals = { kind: 'logits'; signals: ModelSignals } | { kind: 'loss'; loss: Float64Array };

export interface SignalsInput {
  /** Records, in file order; `member` 1 = member, 0 = non-member (both scored), −1 = population record only. */
  member: Int8Array;
  labels: Int32Array | null;
  target: RecordSignals;
  references: { models: RecordSignals[]; isIn: Uint8Array[] } | null;
}

export const SIGNAL_ATTACKS = ['threshold', 'lira', 'rmia', 'population'] as const;
export type SignalAttack = (typeof SIGNAL_ATTACKS)[number];

export interface SignalsOptions {
  attacks: readonly SignalAttack[];
  explicit: boolean;
  a: number;
  gamma: number;
}

export interface ScoredVariant {
  name: string;
  kind: SignalAttack;
  scores: Float64Array;
}

const lossAt = (s: RecordSignals, r: number, labels: Int32Array | null): number =>
  s.kind === 'loss' ? s.loss[r]! : lossOf(s.signals, r, labels![r]!);
const phiAt = (s: RecordSignals, r: number, labels: Int32Array | null): number =>
  clipPhi(s.kind === 'loss' ? logitConfidenceFromLoss(s.loss[r]!) : logitConfidence(s.signals, r, labels![r]!));

/** Runs the asked attacks; `notes` says which variants were skipped and why (an error if the attack was asked for explicitly). */
export function scoreSignals(input: SignalsInput, o: SignalsOptions): { variants: ScoredVariant[]; notes: string[] } {
  const { member, labels, target, references } = input;
  const scored: number[] = [],
    population: number[] = [];
  member.forEach((m, r) => (m >= 0 ? scored : population).push(r));
  const variants: ScoredVariant[] = [];
  const notes: string[] = [];
  const skip = (attack: SignalAttack, why: string): void => {
    if (o.explicit) throw new AttackInputError(`The ${attack} attack cannot run on these signals: ${why}`);
    notes.push(`${attack} skipped: ${why}`);
  };
  const map = (f: (r: number) => number, rows: readonly number[]): Float64Array => Float64Array.from(rows, f);
  for (const attack of o.attacks) {
    if (attack === 'threshold') {
      variants.push({ name: 'loss', kind: 'threshold', scores: map((r) => -lossAt(target, r, labels), scored) });
      variants.push({
        name: 'confidence',
        kind: 'threshold',
        scores: map((r) => Math.exp(-lossAt(target, r, labels)), scored),
      });
      if (target.kind === 'logits') {
        const s = target.signals;
        variants.push({
          name: 'entropy',
          kind: 'threshold',
          scores: map((r) => -entropyOf(probabilities(s, r)), scored),
        });
        variants.push({
          name: 'modified_entropy',
          kind: 'threshold',
          scores: map((r) => -modifiedEntropyOf(probabilities(s, r), labels![r]!, -lossOf(s, r, labels![r]!)), scored),
        });
      } else notes.push('entropy and modified_entropy need logits; the target gives losses only.');
    } else if (attack === 'population') {
      if (population.length === 0) {
        skip(attack, 'no population records (member −1).');
        continue;
      }
      variants.push({
        name: 'population',
        kind: 'population',
        scores: populationScores(
          map((r) => lossAt(target, r, labels), scored),
          map((r) => lossAt(target, r, labels), population),
        ),
      });
    } else {
      if (!references || references.models.length === 0) {
        skip(attack, 'no reference models.');
        continue;
      }
      const refs = references;
      const hasIn = scored.every((r) => refs.isIn.some((m) => m[r] === 1));
      const hasOut = scored.every((r) => refs.isIn.some((m) => m[r] !== 1));
      if (!hasOut && attack === 'lira') {
        skip(attack, 'some scored record is in the training set of every reference model (LiRA needs OUT models).');
        continue;
      }
      // Offline needs an OUT model for every scored record (RMIA's offline Pr(x) averages OUT models).
      const modes: ('offline' | 'online')[] = [
        ...(hasOut ? ['offline' as const] : []),
        ...(hasIn ? ['online' as const] : []),
      ];
      if (!hasIn) notes.push(`${attack} online skipped: some scored record is in no reference model's training set.`);
      if (!hasOut)
        notes.push(`${attack} offline skipped: some scored record is in every reference model's training set.`);
      if (attack === 'lira') {
        const phis = (rows: readonly number[]) => ({
          target: map((r) => phiAt(target, r, labels), rows),
          refs: refs.models.map((m) => map((r) => phiAt(m, r, labels), rows)),
          isIn: refs.isIn.map((m) => Uint8Array.from(rows, (r) => m[r]!)),
        });
        const sig = phis(scored);
        for (const mode of modes) {
          for (const fixedVariance of [false, true]) {
            variants.push({
              name: `lira_${mode}${fixedVariance ? '_fixed' : ''}`,
              kind: 'lira',
              scores: liraScores(sig, { mode, fixedVariance }),
            });
          }
        }
      } else {
        if (population.length === 0) {
          skip(attack, 'no population records z (member −1).');
          continue;
        }
        const py = (rows: readonly number[]): RmiaSignals => ({
          target: map((r) => Math.exp(-lossAt(target, r, labels)), rows),
          refs: refs.models.map((m) => map((r) => Math.exp(-lossAt(m, r, labels)), rows)),
          isIn: refs.isIn.map((m) => Uint8Array.from(rows, (r) => m[r]!)),
        });
        for (const mode of modes)
          variants.push({
            name: `rmia_${mode}`,
            kind: 'rmia',
            scores: rmiaScores(py(scored), py(population), { mode, a: o.a, gamma: o.gamma }),
          });
      }
    }
  }
  return { variants, notes };
}

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
  /** The file's record indices scored, in order, when not every scored record could be. */
  records?: readonly number[];
  /** The scored records this variant could not score (file record indices), and why. */
  excluded?: { records: readonly number[]; reason: string };
}

const lossAt = (s: RecordSignals, r: number, labels: Int32Array | null): number =>
  s.kind === 'loss' ? s.loss[r]! : lossOf(s.signals, r, labels![r]!);
const phiAt = (s: RecordSignals, r: number, labels: Int32Array | null): number =>
  clipPhi(s.kind === 'loss' ? logitConfidenceFromLoss(s.loss[r]!) : logitConfidence(s.signals, r, labels![r]!));

/** Records a mode cannot score: IN for every reference model (no OUT model) or, online LiRA, for none. */
function unscorable(
  attack: 'lira' | 'rmia',
  mode: 'offline' | 'online',
  inCount: (r: number) => number,
  models: number,
): { test: (r: number) => boolean; why: string } {
  if (mode === 'offline')
    return { test: (r) => inCount(r) === models, why: "in every reference model's training set (no OUT model)" };
  if (attack === 'lira')
    return {
      test: (r) => inCount(r) === 0 || inCount(r) === models,
      why: "in every reference model's training set or in none (online LiRA needs IN and OUT models)",
    };
  return { test: () => false, why: '' };
}

const listed = (rows: readonly number[]): string =>
  `${rows.slice(0, 10).join(', ')}${rows.length > 10 ? `, … (${rows.length - 10} more)` : ''}`;

/**
 * LiRA's or RMIA's variants. Every record a mode can score is scored; the others (by the file's record
 * index) are left out of that variant, and a note says which and why.
 */
function referenceVariants(
  attack: 'lira' | 'rmia',
  input: SignalsInput & { references: NonNullable<SignalsInput['references']> },
  o: SignalsOptions,
  rows: { scored: readonly number[]; population: readonly number[] },
  skip: (attack: SignalAttack, why: string) => void,
  notes: string[],
): ScoredVariant[] {
  const { labels, target, references: refs } = input;
  const counts = new Int32Array(input.member.length);
  for (const m of refs.isIn) for (let r = 0; r < counts.length; r++) counts[r]! += m[r] === 1 ? 1 : 0;
  const inCount = (r: number): number => counts[r]!;
  const M = refs.models.length;
  const out: ScoredVariant[] = [];
  const modeNotes: string[] = [];
  for (const mode of ['offline', 'online'] as const) {
    const bad = unscorable(attack, mode, inCount, M);
    const keep = rows.scored.filter((r) => !bad.test(r));
    const dropped = rows.scored.filter((r) => bad.test(r));
    const classes = new Set(keep.map((r) => input.member[r]));
    if (classes.size < 2) {
      modeNotes.push(`${attack} ${mode} cannot score enough records: records ${listed(dropped)} are ${bad.why}.`);
      continue;
    }
    const pop = attack === 'rmia' ? rows.population.filter((r) => !bad.test(r)) : [];
    if (attack === 'rmia' && pop.length === 0) {
      modeNotes.push(`rmia ${mode} has no usable population record: every one is ${bad.why}.`);
      continue;
    }
    const excluded =
      dropped.length > 0 ? { records: dropped, reason: `${bad.why}; left out of this variant's metrics` } : undefined;
    if (dropped.length)
      notes.push(
        `${attack} ${mode}: ${dropped.length} of ${rows.scored.length} scored records could not be scored and are left out of its metrics (${bad.why}): records ${listed(dropped)}.`,
      );
    const popDropped = rows.population.length - pop.length;
    if (attack === 'rmia' && popDropped > 0)
      notes.push(`rmia ${mode}: ${popDropped} population records are ${bad.why} and are not used as z.`);
    const map = (f: (r: number) => number, rs: readonly number[]): Float64Array => Float64Array.from(rs, f);
    const isIn = (rs: readonly number[]): Uint8Array[] => refs.isIn.map((m) => Uint8Array.from(rs, (r) => m[r]!));
    const extra = excluded ? { records: keep, excluded } : {};
    if (attack === 'lira') {
      const sig = {
        target: map((r) => phiAt(target, r, labels), keep),
        refs: refs.models.map((m) => map((r) => phiAt(m, r, labels), keep)),
        isIn: isIn(keep),
      };
      for (const fixedVariance of [false, true])
        out.push({
          name: `lira_${mode}${fixedVariance ? '_fixed' : ''}`,
          kind: 'lira',
          scores: liraScores(sig, { mode, fixedVariance }),
          ...extra,
        });
    } else {
      const py = (rs: readonly number[]): RmiaSignals => ({
        target: map((r) => Math.exp(-lossAt(target, r, labels)), rs),
        refs: refs.models.map((m) => map((r) => Math.exp(-lossAt(m, r, labels)), rs)),
        isIn: isIn(rs),
      });
      out.push({
        name: `rmia_${mode}`,
        kind: 'rmia',
        scores: rmiaScores(py(keep), py(pop), { mode, a: o.a, gamma: o.gamma }),
        ...extra,
      });
    }
  }
  if (out.length === 0) skip(attack, modeNotes.join(' '));
  else for (const n of modeNotes) notes.push(`${n} That mode is skipped.`);
  return out;
}

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
      if (attack === 'rmia' && population.length === 0) {
        skip(attack, 'no population records z (member −1).');
        continue;
      }
      variants.push(...referenceVariants(attack, { ...input, references }, o, { scored, population }, skip, notes));
    }
  }
  return { variants, notes };
}

/** What an attack sees: the target's released outputs on the candidates, and the attacker's own models. */
import type { ModelSignals } from './signals.js';

export interface ReferenceModel {
  signals: ModelSignals;
  /** Records the model was trained on, and records held out from it. */
  inIdx: readonly number[];
  outIdx: readonly number[];
}

export interface AttackContext {
  /** True labels of every record of the dataset (the attacker knows the candidates' labels). */
  labels: Int32Array;
  classes: number;
  target: ModelSignals;
  /** The records to score (members and non-members). */
  candidates: readonly number[];
  /** Reference/shadow model sets by name. */
  shadows: ReadonlyMap<string, readonly ReferenceModel[]>;
}

export class AttackInputError extends Error {}

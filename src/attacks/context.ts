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
  /** Population records z (RMIA, the population attack): not candidates, queried on the target and references. */
  population?: readonly number[];
  /**
   * Answers to augmented queries (label-only augmentation and noise, LiRA with augmentations): the
   * target's, and each reference model's by shadow-set name, in the order of the set.
   */
  augmented?: { target: AugmentedSignals; shadows: ReadonlyMap<string, readonly AugmentedSignals[]> };
  /** Every record's features, row-major, `dim` per record (the quantile attack's regressor reads them). */
  features?: { x: Float32Array; dim: number };
  /** Seed for any randomness of the attack itself (derived from the experiment seed and the attack). */
  seed?: number;
}

/**
 * A model's answers on `copies` augmented copies of every record: row `copy * n + record` holds the
 * logits (or released log-probabilities) of that copy, with `n` the number of records of the dataset.
 */
export interface AugmentedSignals {
  signals: ModelSignals;
  copies: number;
  n: number;
}

export class AttackInputError extends Error {}

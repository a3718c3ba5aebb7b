/** The shapes the ε lower bounds share: the canary scores, a decision rule's counts, each method's descriptor. */

/** Attack scores of held-in and held-out canaries; higher = more likely a member. */
export interface CanaryScores {
  in: readonly number[];
  out: readonly number[];
}

/** A threshold rule "IN iff score ≥ threshold" and what it gets right and wrong. */
export interface Cut {
  threshold: number;
  /** Held-in canaries guessed IN (true positives) and held-out ones guessed IN (false positives). */
  tp: number;
  fp: number;
  nIn: number;
  nOut: number;
}

/** How the threshold is chosen. */
export type ThresholdChoice =
  /** A threshold fixed in advance: full confidence at that threshold. */
  | { kind: 'given'; threshold: number }
  /** The best of all thresholds, each tested at (1 − confidence) / m for m canaries (a union bound). */
  | { kind: 'bonferroni' }
  /** The best threshold on a seeded random half of the in and of the out canaries, applied to the other half. */
  | { kind: 'split'; seed: number };

export interface AuditOptions {
  /** δ of the (ε, δ)-DP claim being tested; in [0, 1): 0 tests pure ε-DP (methods with a δ = 0 form only). */
  delta: number;
  /** The probability that the claim "not (ε̂, δ)-DP" is right, e.g. 0.95. */
  confidence: number;
  threshold: ThresholdChoice;
}

/** ε̂ at one cut, with the intermediate quantities of its method (rates' bounds, μ, …). */
export interface Bound {
  epsilon: number;
  details: Record<string, number>;
}

export interface AuditCounts {
  in: number;
  out: number;
  /** Canaries the rule guesses on and how many of those guesses are right. */
  guesses: number;
  correct: number;
}

export interface AuditResult {
  method: string;
  /** The ε lower bound: with the confidence asked, the run is not (ε, δ)-DP for any ε < ε̂. 0: nothing claimed. */
  epsilon: number;
  /** The threshold of the rule used (IN iff score ≥ threshold); null when no threshold gives ε̂ > 0. */
  threshold: number | null;
  counts: AuditCounts;
  details: Record<string, number>;
}

/** One ε lower bound (one file each, one line in the list in index.ts). */
export interface AuditMethod {
  name: string;
  /** The paper it follows. */
  paper: string;
  /**
   * Why the method has no δ = 0 (pure DP) form; absent when it has one. At δ = 0 such a method is left out
   * of the default list and refused when named.
   */
  noPureDp?: string;
  /**
   * ε̂ at a cut when each statement may fail with probability `alpha`. `floor` is the best ε̂ found so far
   * at other cuts: a method may return any ε̂ ≤ floor, without finishing its search, when this cut cannot
   * beat it (a speed-up; with floor 0 the answer is exact).
   */
  bound(cut: Cut, alpha: number, delta: number, floor: number): Bound;
  /** The guesses the method's rule makes at a cut and how many are right. */
  guesses(cut: Cut): { guesses: number; correct: number };
}

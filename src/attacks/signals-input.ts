/**
 * Precomputed signals (`mia attack --signals`): per-record losses or logits of the target and of
 * reference models, with the references' in/out masks, exported from any framework (the way TensorFlow
 * Privacy's AttackInputData works). What an attack descriptor's `fromSignals` receives.
 */
import { clipPhi } from './lira.js';
import {
  logitConfidence,
  logitConfidenceFromLoss,
  logProbFromLogitConfidence,
  lossOf,
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

export interface ScoredVariant {
  name: string;
  kind: string;
  scores: Float64Array;
  /** The file's record indices scored, in order, when not every scored record could be. */
  records?: readonly number[];
  /** The scored records this variant could not score (file record indices), and why. */
  excluded?: { records: readonly number[]; reason: string };
}

/** What an attack's `fromSignals` works with. */
export interface SignalsEnv {
  input: SignalsInput;
  /** Scored records (members and non-members) and population records, by row. */
  scored: number[];
  population: number[];
  /** RMIA's a, gamma and trim, and LiRA's centre, as given on the command line. */
  a: number;
  gamma: number;
  rmiaTrim: number;
  liraCentre: 'mean' | 'median';
  /** The attack cannot run on these signals: an error when it was asked for by name, else a note. */
  skip(why: string): void;
  note(text: string): void;
}

export const mapRows = (f: (r: number) => number, rows: readonly number[]): Float64Array => Float64Array.from(rows, f);

/** values[r] for each of `rows`. */
export function gather(values: ArrayLike<number>, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

/** mask[r] for each of `rows`. */
export function gatherMask(mask: Uint8Array, rows: readonly number[]): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = mask[rows[i]!]!;
  return out;
}

type PerRecord = 'loss' | 'phi' | 'confidence';
const perRecordCache = new WeakMap<
  RecordSignals,
  { labels: Int32Array | null; arrays: Map<PerRecord, Float64Array> }
>();

/**
 * One model's per-record signal for every record of the file, computed once and shared by every attack
 * and mode: `loss` as lossAt, `phi` as LiRA's clipped logit of p_y, `confidence` as Math.exp(−lossAt) (p_y), the same numbers.
 */
export function perRecord(s: RecordSignals, labels: Int32Array | null, what: PerRecord): Float64Array {
  let entry = perRecordCache.get(s);
  if (!entry || entry.labels !== labels) perRecordCache.set(s, (entry = { labels, arrays: new Map() }));
  let values = entry.arrays.get(what);
  if (values) return values;
  if (what === 'confidence') values = perRecord(s, labels, 'loss').map((l) => Math.exp(-l));
  else if (s.kind === 'loss')
    values = what === 'loss' ? s.loss : s.loss.map((l) => clipPhi(logitConfidenceFromLoss(l)));
  else {
    const { signals } = s;
    const n = signals.logits.length / signals.classes;
    const phi = new Float64Array(n);
    for (let r = 0; r < n; r++) phi[r] = logitConfidence(signals, r, labels![r]!);
    // lossOf is −logProbOfLabel, which (for logits) is logProbFromLogitConfidence of this φ.
    const loss = signals.logProbs ? null : phi.map((v) => -logProbFromLogitConfidence(v));
    values = what === 'phi' ? phi.map(clipPhi) : (loss ?? mapRows((r) => lossOf(signals, r, labels![r]!), rowsTo(n)));
  }
  entry.arrays.set(what, values);
  return values;
}

const rowsTo = (n: number): number[] => Array.from({ length: n }, (_, r) => r);

export const lossAt = (s: RecordSignals, r: number, labels: Int32Array | null): number =>
  s.kind === 'loss' ? s.loss[r]! : lossOf(s.signals, r, labels![r]!);

/** Whether every scored record is in some reference model's training set, and out of some. */
export function coverage(env: SignalsEnv): { hasIn: boolean; hasOut: boolean } {
  const refs = env.input.references;
  if (!refs) return { hasIn: false, hasOut: false };
  return {
    hasIn: env.scored.every((r) => refs.isIn.some((m) => m[r] === 1)),
    hasOut: env.scored.every((r) => refs.isIn.some((m) => m[r] !== 1)),
  };
}

/**
 * Scoring signals exported from any framework (`mia attack --signals`, the library's scoreSignals): the scoring
 * attacks on a target's and reference models' losses or logits, as a results.json.
 */
import { AttackInputError, scoreSignals, type SignalsInput } from '../attacks/index.js';
import { fprLevelsFor } from '../metrics/index.js';
import { attackResult, targetFromLogits, targetFromLosses, type ResultsJson } from '../report/index.js';
import { UserError } from '../pipeline/errors.js';

export interface SignalsOptions {
  /** The variants' kinds to run (signalAttacks() lists them). */
  attacks: string[];
  /** Whether the attacks were named (an attack the signals cannot run is then an error, else left out). */
  explicit?: boolean;
  /** The results' experiment name. */
  experiment: string;
  /** The bootstrap intervals' seed. */
  seed: number;
  /** RMIA's a and gamma, its trimmed share, LiRA's centre. */
  a: number;
  gamma: number;
  rmiaTrim?: number;
  liraCentre?: 'mean' | 'median';
  version: string;
  /** What it is doing, for a progress line. */
  progress?: (what: string) => void;
  /** A variant left out, and why. */
  note?: (note: string) => void;
  /** Scores computed already (a language model's token file has its own), instead of the scoring attacks'. */
  scored?: Scored;
}

type Scored = ReturnType<typeof scoreSignals>;

/** results.json of the scoring attacks on `input`: one run, the target's utility and each variant's metrics. */
export function signalsResults(input: SignalsInput, o: SignalsOptions): ResultsJson {
  const progress = o.progress ?? (() => {});
  progress('scoring');
  const scored = o.scored ?? scoreOrExplain(input, o);
  for (const n of scored.notes) o.note?.(n);
  return {
    experiment: o.experiment,
    seed: o.seed,
    backend: 'none',
    mia: o.version,
    runs: [{ params: {}, target: targetOf(input), attacks: attackResults(input, scored, o.seed, progress) }],
  };
}

/** The attacks' scores; a file the attacks cannot use is the user's to fix (one line, exit 1). */
function scoreOrExplain(input: SignalsInput, o: SignalsOptions): Scored {
  try {
    return scoreSignals(input, {
      attacks: o.attacks,
      explicit: o.explicit ?? true,
      a: o.a,
      gamma: o.gamma,
      rmiaTrim: o.rmiaTrim ?? 0,
      liraCentre: o.liraCentre ?? 'mean',
    });
  } catch (e) {
    if (e instanceof AttackInputError) throw new UserError(e.message);
    throw e;
  }
}

/** The records with a known membership (member ≥ 0), their membership and labels, and the two sides. */
function labelledRecords(input: SignalsInput) {
  const record: number[] = [];
  input.member.forEach((m, r) => {
    if (m >= 0) record.push(r);
  });
  return {
    record,
    member: record.map((r) => input.member[r]!),
    label: record.map((r) => (input.labels ? input.labels[r]! : 0)),
    members: record.filter((r) => input.member[r] === 1),
    nonmembers: record.filter((r) => input.member[r] === 0),
  };
}

/** The target's utility from its logits, or its mean losses when the file gives losses only. */
function targetOf(input: SignalsInput) {
  const { members, nonmembers } = labelledRecords(input);
  const t = input.target;
  return t.kind === 'logits'
    ? targetFromLogits('target', t.signals.logits, t.signals.classes, input.labels!, members, nonmembers)
    : targetFromLosses(
        'target',
        null,
        null,
        meanOf(members.map((r) => t.loss[r]!)),
        meanOf(nonmembers.map((r) => t.loss[r]!)),
      );
}

/** Each scored variant's metrics, on its own records when it scores a subset, with what it excluded. */
function attackResults(input: SignalsInput, scored: Scored, seed: number, progress: (what: string) => void) {
  const { record, member, label } = labelledRecords(input);
  const fprLevels = fprLevelsFor([]);
  return scored.variants.map((v, i) => {
    progress(`evaluating ${v.name} (${i + 1} of ${scored.variants.length})`);
    const rows = v.records ?? record;
    const base = attackResult({
      name: v.name,
      kind: v.kind,
      seed,
      fprLevels,
      record: rows.slice(),
      label: v.records ? rows.map((r) => (input.labels ? input.labels[r]! : 0)) : label,
      score: v.scores,
      member: v.records ? rows.map((r) => input.member[r]!) : member,
    });
    if (!v.excluded) return base;
    const excluded = {
      count: v.excluded.records.length,
      records: v.excluded.records.slice(),
      reason: v.excluded.reason,
    };
    return { ...base, excluded };
  });
}

const meanOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

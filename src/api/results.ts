/** Reading, checking and comparing results.json; scoring signals; auditing canary scores: the library's side. */
import { basename, extname } from 'node:path';
import {
  AuditInputError,
  auditScores,
  type AuditOptions,
  type AuditResult,
  type CanaryScores,
} from '../audit/index.js';
import { signalAttacks, type SignalsInput } from '../attacks/index.js';
import { UserError } from '../pipeline/index.js';
import {
  compareResults as changesBetween,
  readResults as readResultsFile,
  ResultsReadError,
  type MetricChange,
  type ResultsJson,
} from '../report/index.js';
import { resultsProblem } from '../report/results-schema.js';
import { asMiaError, MiaError } from './errors.js';
import { miaVersion } from './run.js';
import { readSignalsFile } from './signals-file.js';
import { signalsResults } from './signals.js';

/** A results.json (a file or the folder holding it), checked against its schema; a MiaError of kind `file` names the first wrong field. */
export function readResults(where: string): { path: string; results: ResultsJson } {
  try {
    return readResultsFile(where);
  } catch (e) {
    throw asMiaError(e, 'file', [ResultsReadError]);
  }
}

/** Whether a value is a results.json: null, or the first wrong field (`runs[0].attacks[2].metrics.auc must be a number (it is a string)`). */
export const resultsProblemOf = (value: unknown): string | null => resultsProblem(value);

/** Each metric of each attack in A and B, and how it moved (`mia compare`'s table, as data). */
export function compareResults(a: ResultsJson, b: ResultsJson): MetricChange[] {
  for (const [name, r] of [
    ['A', a],
    ['B', b],
  ] as const) {
    const p = resultsProblem(r);
    if (p) throw new MiaError('file', `results ${name}: ${p}.`);
  }
  return changesBetween(a, b);
}

export interface ScoreSignalsOptions {
  /** The variants to run (default: every one the signals allow); see signalKinds(). */
  attacks?: string[];
  /** results.json's experiment name (default: the file's name, or "signals"). */
  experiment?: string;
  /** The bootstrap intervals' seed (default 0). */
  seed?: number;
  /** RMIA's offline a (0.3), gamma (2) and trimmed share (0); LiRA's centre (mean). */
  a?: number;
  gamma?: number;
  rmiaTrim?: number;
  liraCentre?: 'mean' | 'median';
  /** A variant left out, and why. */
  onNote?: (note: string) => void;
}

/** The attack kinds `scoreSignals` runs. */
export const signalKinds = (): string[] => signalAttacks();

/**
 * The scoring attacks on exported signals (`mia attack --signals`): `signals` is the path of a signals file
 * (checked against dist/schemas/signals.schema.json) or the signals as typed arrays.
 */
export function scoreSignals(signals: string | SignalsInput, o: ScoreSignalsOptions = {}): ResultsJson {
  try {
    const input = typeof signals === 'string' ? readSignalsFile(signals) : signals;
    return signalsResults(input, {
      attacks: o.attacks ?? signalAttacks(),
      explicit: o.attacks !== undefined,
      experiment: o.experiment ?? (typeof signals === 'string' ? basename(signals, extname(signals)) : 'signals'),
      seed: o.seed ?? 0,
      a: o.a ?? 0.3,
      gamma: o.gamma ?? 2,
      rmiaTrim: o.rmiaTrim ?? 0,
      liraCentre: o.liraCentre ?? 'mean',
      version: miaVersion(),
      note: o.onNote,
    });
  } catch (e) {
    throw asMiaError(e, 'file', [UserError]);
  }
}

/** ε lower bounds from canary scores (`mia audit`), by every method with a form at δ, or those named. */
export function audit(scores: CanaryScores, o: Partial<AuditOptions> & { methods?: string[] } = {}): AuditResult[] {
  const { methods, ...options } = o;
  try {
    return auditScores(scores, options, methods);
  } catch (e) {
    throw asMiaError(e, 'file', [AuditInputError]);
  }
}

/**
 * results.json: the contract later tools read. One run per sweep point and target; per attack its metrics and
 * the per-record scores they were computed from, so every number can be recomputed.
 * Non-finite scores are written as ±Number.MAX_VALUE (JSON has no Infinity); the order is kept.
 */
import type { AttackKind } from '../check/index.js';
import { logProbOfLabel, predictedLabel } from '../attacks/index.js';
import {
  evaluateScores,
  finiteScore,
  fprLevelsFor,
  vulnerability,
  type ClassMetrics,
  type Evaluation,
  type Summary,
} from '../metrics/index.js';
import { deriveSeed } from '../util/rng.js';
import type { PrivacyRecord } from '../defenses/defense.js';
import type { Plan, RunPlan, SynthesisPlan } from '../plan/index.js';
import type { JobOutput } from '../run/index.js';
import { auditOf, type RunAudit } from './audit.js';
import type { ExpectationResult } from './expectations.js';
import { attackExposure, runRecords, type AttackExposure, type RunRecords, type SliceColumn } from './records.js';
import { RESULTS_SCHEMA_CLOSED, resultsProblem } from './results-schema.js';

/**
 * The target's fit: accuracy and mean loss on members (train) and non-members (test), the
 * generalisation gap (train − test accuracy) and the original study's vulnerability score
 * V = ln(2AL / (A + L)), A = trainAccuracy / testAccuracy, L = testLoss / trainLoss (null where
 * undefined, see metrics/generalization.ts). Accuracies are null when only losses are known
 * (`mia attack --signals` with losses).
 */
export interface TargetResult {
  name: string;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  generalizationGap: number | null;
  trainLoss: number;
  testLoss: number;
  vulnerability: number | null;
  /** The target's defenses by kind, in source order (absent when it has none). */
  defenses?: string[];
  /** DP-SGD's ε, δ and noise multiplier σ (the RDP accountant's, for the sampling rate and steps run); absent without DP. */
  epsilon?: number;
  delta?: number;
  noise?: number;
  /** The full DP accounting: ε, δ, σ, steps, Poisson sampling rate q = batch/N, clip norm (absent without DP). */
  privacy?: PrivacyRecord;
  /** A remote target: how many records were sent to its API, augmented copies included (absent otherwise). */
  queries?: number;
}

export interface AttackCore {
  name: string;
  /** An attack kind, or for `mia attack --signals` the variant run (e.g. lira). */
  kind: AttackKind;
  /** Metrics over all candidates, with bootstrap 95% intervals (`ci`) for AUC and TPR at each FPR level. */
  metrics: Summary;
  /** The same metrics restricted to each true class (no intervals); a class lacking members or non-members has `metrics: null` and a reason. */
  perClass: ClassMetrics<number>[];
  samples: { record: number[]; label: number[]; score: number[]; member: number[] };
  /** Records this attack could not score (`mia attack --signals`: by the file's record index), left out of its metrics. */
  excluded?: { count: number; records: number[]; reason: string };
  // Exposure (issue 27, src/report/records.ts): `exposure` (prior, risk, rank per candidate), `slices`, `worstSlice`.
}

/** An attack's entry with its exposure fields (written after `samples`). */
export type AttackResult = AttackCore & Partial<AttackExposure>;

/** Shadow data synthesised for the run's attacks (Shokri et al. V.C), and what making it cost. */
export interface ShadowDataResult {
  dataset: string;
  /** The source kind: marginals, hill_climb, … */
  kind: string;
  records: number;
  /** Records asked of the target while synthesising (0 when it queries none). */
  queries: number;
  /** The target queried (absent when none) and the budget it was given. */
  target?: string;
  budget?: number;
  /** Records given up after too many queries and started again, per class (model-based synthesis). */
  failures?: number[];
}

export interface RunResult {
  params: Record<string, number | string>;
  target: TargetResult;
  attacks: AttackResult[];
  /** Synthesised shadow data its attacks used (absent when they used real records). */
  shadowData?: ShadowDataResult[];
  /** With a report audit and canaries: ε lower bounds per attack and method (see audit.ts). */
  audit?: RunAudit;
  /** The target's predictions and the most exposed records' features (src/report/records.ts); last in the run. */
  records?: RunRecords;
}

/** One file of a spec: the spec itself first, then each file it imports. */
export interface SpecFile {
  /** Relative to the spec's folder (POSIX separators); the spec's own is its file name. */
  path: string;
  /** SHA-256 (hex) of the file's text as read. */
  sha256: string;
  /** The text, with credentials in URLs masked (`https://***@host`, `?token=***`). */
  text: string;
}

/** Where results.json came from (`mia run`; absent in `mia attack --signals` results and older files). */
export interface Provenance {
  spec: {
    /** The spec's path relative to the results folder (POSIX separators): how a rerun recognises its own results. */
    path: string;
    /** SHA-256 (hex) of the spec's text. */
    sha256: string;
    files: SpecFile[];
  };
  /** What the checker resolved, defaults filled, without source places: by section, one entry per declaration. */
  settings: {
    models: Record<string, unknown>[];
    targets: Record<string, unknown>[];
    shadows: Record<string, unknown>[];
    attacks: Record<string, unknown>[];
  };
  /** What may differ between two runs of the same spec and seed: the command line and the git revision. */
  invocation: {
    /** The arguments after `mia`, values of secret-looking options and URL credentials masked; never the environment. */
    argv: string[];
    /** The revision checked out where the spec lies in a git repository; null outside one (or without git). */
    git: { revision: string; dirty: boolean | null } | null;
    /**
     * With `mia run --queue`: the queue (URL, credentials masked), each worker (host:pid) with its jobs and their
     * time, and which worker ran each job (by id; a job whose output the store already held has none).
     */
    queue?: {
      url: string;
      workers: { worker: string; host: string; slots: number; jobs: number; ms: number }[];
      ranBy: Record<string, string>;
    };
  };
}

export interface ResultsJson {
  experiment: string;
  seed: number;
  backend: string;
  mia: string;
  /** The verdicts of `expect { ... }`, when the spec states expectations (src/report/expectations.ts). */
  expectations?: ExpectationResult[];
  runs: RunResult[];
  /** Where the results came from (last in the file, after the samples). */
  provenance?: Provenance;
}

/** The least log-probability a remote API's answer counts with in the target's mean loss (as before float64 answers). */
const LOG_FLOOR = Math.log(1e-30);
/**
 * Accuracy and mean loss of a model's logits over records `idx`; of a remote API's released
 * log-probabilities (logProbs), each record's loss at most −log 1e-30, so a hidden class keeps the mean finite.
 */
function fit(
  logits: Float32Array | Float64Array,
  classes: number,
  labels: ArrayLike<number>,
  idx: readonly number[],
  logProbs = false,
): [number, number] {
  let correct = 0,
    loss = 0;
  for (const r of idx) {
    if (predictedLabel({ logits, classes }, r) === labels[r]) correct++;
    const lp = logProbOfLabel({ logits, classes, logProbs }, r, labels[r]!);
    loss -= logProbs ? Math.max(lp, LOG_FLOOR) : lp;
  }
  return [correct / idx.length, loss / idx.length];
}

export function targetFromLosses(
  name: string,
  trainAccuracy: number | null,
  testAccuracy: number | null,
  trainLoss: number,
  testLoss: number,
): TargetResult {
  const known = trainAccuracy !== null && testAccuracy !== null;
  return {
    name,
    trainAccuracy,
    testAccuracy,
    generalizationGap: known ? trainAccuracy - testAccuracy : null,
    trainLoss,
    testLoss,
    vulnerability: known
      ? vulnerability({ accIn: trainAccuracy, accOut: testAccuracy, lossIn: trainLoss, lossOut: testLoss })
      : null,
  };
}

export function targetFromLogits(
  name: string,
  logits: Float32Array | Float64Array,
  classes: number,
  labels: ArrayLike<number>,
  members: readonly number[],
  nonmembers: readonly number[],
  logProbs = false,
): TargetResult {
  const [trainAccuracy, trainLoss] = fit(logits, classes, labels, members, logProbs);
  const [testAccuracy, testLoss] = fit(logits, classes, labels, nonmembers, logProbs);
  return targetFromLosses(name, trainAccuracy, testAccuracy, trainLoss, testLoss);
}

/**
 * One attack's entry: metrics (with bootstrap intervals seeded from the experiment seed and the
 * attack's name, so a rerun gives the same intervals), per-class metrics and the samples.
 */
export function attackResult(o: {
  name: string;
  kind: AttackKind;
  seed: number;
  fprLevels: readonly number[];
  record: number[];
  label: number[];
  score: ArrayLike<number>;
  member: number[];
  evaluation?: Evaluation;
  columns?: readonly SliceColumn[];
}): AttackResult {
  const score = Array.from(o.score, finiteScore);
  const exposure = attackExposure({ ...o, score });
  const ev =
    o.evaluation ??
    evaluateScores({
      score: o.score, // raw: NaN and infinite scores are flagged
      member: o.member,
      label: o.label,
      fprLevels: o.fprLevels,
      seed: bootstrapSeed(o.seed, o.name),
    });
  return {
    name: o.name,
    kind: o.kind,
    metrics: ev.metrics,
    perClass: ev.perClass,
    samples: { record: o.record, label: o.label, score, member: o.member },
    ...exposure,
  };
}

/** The seed of an attack's bootstrap intervals: from the run's seed and the attack's name, so a rerun gives the same intervals. */
export const bootstrapSeed = (seed: number, attack: string): number => deriveSeed(seed, `bootstrap/${attack}`);

/** One run per sweep point (one without a sweep), in the plan's order. */
export function buildResults(
  plan: Plan,
  outputs: ReadonlyMap<string, JobOutput>,
  labels: Int32Array | ((dataset: string) => Int32Array),
  version: string,
  features?: (dataset: string) => Features | null,
  columns?: ColumnsOf,
): ResultsJson {
  const fprLevels = fprLevelsFor(plan.metrics.flatMap((m) => (m.kind === 'tprAtFpr' ? [m.fpr] : [])));
  const labelsOf = typeof labels === 'function' ? labels : () => labels;
  const runs = plan.runs.map((run) => {
    const by = sliceColumnsOf(plan.slices, run, columns);
    const built = buildRun(run, outputs, labelsOf(run.target.dataset), fprLevels, by);
    const f = features?.(run.target.dataset);
    return f ? { ...built, records: recordsOf(built, f, outputs.get(run.target.query)) } : built;
  });
  return { experiment: plan.experiment, seed: plan.seed, backend: plan.backend, mia: version, runs };
}

/** A dataset's column, a value per record (null: not to be had); what `report { slices ["sex"] }` slices by. */
export type ColumnsOf = (dataset: string, column: string) => readonly string[] | null;

/** The slice columns of a run, each a value per candidate (members, then non-members). */
function sliceColumnsOf(names: readonly string[] | undefined, run: RunPlan, columns?: ColumnsOf): SliceColumn[] {
  if (!names?.length || !columns) return [];
  const record = [...run.target.members, ...run.target.nonmembers];
  return names.flatMap((by) => {
    const values = columns(run.target.dataset, by);
    return values ? [{ by, groups: record.map((r) => values[r] ?? '') }] : [];
  });
}

function buildRun(
  run: RunPlan,
  outputs: ReadonlyMap<string, JobOutput>,
  labels: Int32Array,
  fprLevels: number[],
  columns: readonly SliceColumn[] = [],
): RunResult {
  const tq = outputs.get(run.target.query);
  if (tq?.kind !== 'query') throw new Error('The target was not queried.');
  const record = [...run.target.members, ...run.target.nonmembers];
  const member = record.map((_, i) => (i < run.target.members.length ? 1 : 0));
  const label = record.map((r) => labels[r]!);
  const attacks: AttackResult[] = [];
  for (const a of run.attacks) {
    const ev = outputs.get(a.evaluate);
    if (ev?.kind !== 'evaluate') throw new Error(`The attack "${a.name}" was not evaluated.`);
    attacks.push(
      attackResult({
        name: a.name,
        kind: a.kind,
        seed: run.seed,
        fprLevels,
        record,
        label,
        score: ev.scores,
        member,
        evaluation: ev,
        columns,
      }),
    );
  }
  const target = targetFromLogits(
    run.target.name,
    tq.logits,
    tq.classes,
    labels,
    run.target.members,
    run.target.nonmembers,
    tq.logProbs,
  );
  const p = run.target.privacy;
  const defended = {
    ...target,
    ...(run.target.defenses ? { defenses: run.target.defenses } : {}),
    ...(p ? { epsilon: p.epsilon, delta: p.delta, noise: p.noise, privacy: p } : {}),
    ...(run.target.queries !== undefined ? { queries: run.target.queries } : {}),
  };
  const audit = auditOf(run, outputs, defended);
  const shadowData = run.synthesis?.map((x) => shadowDataOf(x, outputs));
  return {
    params: run.params,
    target: defended,
    attacks,
    ...(shadowData ? { shadowData } : {}),
    ...(audit ? { audit } : {}),
  };
}

/** A dataset's features, for showing the most exposed records. */
export interface Features {
  x: Float32Array;
  shape: number[];
  kind: 'image' | 'tabular';
}

function recordsOf(run: RunResult, f: Features, tq: JobOutput | undefined): RunRecords {
  if (tq?.kind !== 'query') throw new Error('The target was not queried.');
  const record = run.attacks[0]?.samples.record ?? [];
  const prediction = record.map((r) => predictedLabel({ logits: tq.logits, classes: tq.classes }, r));
  const ranks = run.attacks.flatMap((a) => (a.exposure ? [a.exposure.rank] : []));
  return runRecords({ ...f, record, prediction, ranks });
}

function shadowDataOf(x: SynthesisPlan, outputs: ReadonlyMap<string, JobOutput>): ShadowDataResult {
  const o = outputs.get(x.job);
  if (o?.kind !== 'synthesize') throw new Error(`The shadow data "${x.dataset}" were not synthesised.`);
  return {
    dataset: x.dataset,
    kind: x.kind,
    records: o.n,
    queries: o.queries,
    ...(x.target !== undefined ? { target: x.target, budget: x.budget } : {}),
    ...(o.failures.length ? { failures: o.failures } : {}),
  };
}

/** JSON with the metrics first and samples last, so the file reads well and diffs stay small. */
export function resultsToJson(r: ResultsJson): string {
  const text = `${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? (v > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE) : v), 2)}\n`;
  // what is written is what the schema says, exactly: a field it does not name is a bug of mia, not a file to write
  const problem = resultsProblem(JSON.parse(text), RESULTS_SCHEMA_CLOSED);
  if (problem) throw new Error(`mia would write a results.json its schema refuses: ${problem}.`);
  return text;
}

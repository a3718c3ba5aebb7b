/**
 * results.json: the contract later tools read. One run per sweep point; per attack its metrics and
 * the per-record scores they were computed from, so every number can be recomputed.
 * Non-finite scores are written as ±Number.MAX_VALUE (JSON has no Infinity); the order is kept.
 */
import type { AttackKind } from '../check/index.js';
import { logProbOfLabel } from '../attacks/index.js';
import { summarize, type Summary } from '../metrics/index.js';
import type { Plan, RunPlan, TargetPlan } from '../plan/index.js';
import type { JobOutput } from '../run/index.js';

export interface TargetResult {
  name: string;
  trainAccuracy: number;
  testAccuracy: number;
  generalizationGap: number;
  trainLoss: number;
  testLoss: number;
}

export interface AttackResult {
  name: string;
  kind: AttackKind;
  metrics: Summary;
  samples: { record: number[]; label: number[]; score: number[]; member: number[] };
}

export interface RunResult { params: Record<string, number | string>; target: TargetResult; attacks: AttackResult[] }

export interface ResultsJson {
  experiment: string;
  seed: number;
  backend: string;
  mia: string;
  runs: RunResult[];
}

const finite = (v: number): number => (Number.isFinite(v) ? v : v > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE);

function targetResult(target: TargetPlan, logits: Float32Array, classes: number, labels: Int32Array): TargetResult {
  const acc = (idx: number[]): [number, number] => {
    let correct = 0, loss = 0;
    for (const r of idx) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (logits[r * classes + c]! > logits[r * classes + best]!) best = c;
      if (best === labels[r]) correct++;
      loss -= logProbOfLabel({ logits, classes }, r, labels[r]!);
    }
    return [correct / idx.length, loss / idx.length];
  };
  const [trainAccuracy, trainLoss] = acc(target.members);
  const [testAccuracy, testLoss] = acc(target.nonmembers);
  return { name: target.name, trainAccuracy, testAccuracy, generalizationGap: trainAccuracy - testAccuracy, trainLoss, testLoss };
}

/** One run per sweep point (one without a sweep), in the plan's order. */
export function buildResults(plan: Plan, outputs: ReadonlyMap<string, JobOutput>, labels: Int32Array, version: string): ResultsJson {
  const fprLevels = [...new Set([0.001, 0.01, 0.1, ...plan.metrics.flatMap((m) => (m.kind === 'tprAtFpr' ? [m.fpr] : []))])].sort((a, b) => a - b);
  const runs = plan.runs.map((run) => buildRun(run, outputs, labels, fprLevels));
  return { experiment: plan.experiment, seed: plan.seed, backend: plan.backend, mia: version, runs };
}

function buildRun(run: RunPlan, outputs: ReadonlyMap<string, JobOutput>, labels: Int32Array, fprLevels: number[]): RunResult {
  const tq = outputs.get(run.target.query);
  if (!tq || tq.kind !== 'query') throw new Error('The target was not queried.');
  const record = [...run.target.members, ...run.target.nonmembers];
  const member = record.map((_, i) => (i < run.target.members.length ? 1 : 0));
  const attacks: AttackResult[] = [];
  for (const a of run.attacks) {
    const out = outputs.get(a.job);
    if (!out || out.kind !== 'attack') continue;
    const score = Array.from(out.scores, finite);
    attacks.push({
      name: a.name, kind: a.kind,
      metrics: summarize(score, member, { fprLevels }),
      samples: { record, label: record.map((r) => labels[r]!), score, member },
    });
  }
  return { params: run.params, target: targetResult(run.target, tq.logits, tq.classes, labels), attacks };
}

/** JSON with the metrics first and samples last, so the file reads well and diffs stay small. */
export function resultsToJson(r: ResultsJson): string {
  return `${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? (v > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE) : v), 2)}\n`;
}

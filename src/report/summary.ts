/** The metrics of a run without its per-record samples: what the terminal's table and `resultsWritten` carry. */
import type { AttackKind } from '../check/index.js';
import type { Summary } from '../metrics/index.js';
import type { AttackAudit, RunAudit } from './audit.js';
import type { ResultsJson, RunResult, ShadowDataResult, TargetResult } from './results.js';
import { slicesLines } from './slices-table.js';

/** What every view of a finished run shows (plain, JSON's `resultsWritten`, Ink): results.json without samples. */
export interface RunSummary {
  params: Record<string, number | string>;
  target: TargetResult;
  attacks: { name: string; kind: AttackKind; metrics: Summary }[];
  /** Synthesised shadow data and the queries it cost (absent when the attacks used real records). */
  shadowData?: ShadowDataResult[];
  /** The audit's ε̂ per attack and method, without the canaries' scores. */
  audit?: Omit<RunAudit, 'attacks'> & { attacks: Omit<AttackAudit, 'canaries'>[] };
  /** The terminal's slices table (slices-table.ts), when results are sliced by a column. */
  sliceLines?: string[];
}

export const summaryOf = (r: ResultsJson): RunSummary[] =>
  r.runs.map((run) =>
    withSliceLines(run, {
      params: run.params,
      target: run.target,
      attacks: run.attacks.map((a) => ({ name: a.name, kind: a.kind, metrics: a.metrics })),
      ...(run.shadowData ? { shadowData: run.shadowData } : {}),
      ...(run.audit
        ? {
            audit: {
              ...run.audit,
              attacks: run.audit.attacks.map((a) => ({ attack: a.attack, estimates: a.estimates })),
            },
          }
        : {}),
    }),
  );

function withSliceLines(run: RunResult, summary: RunSummary): RunSummary {
  const lines = slicesLines(run);
  return lines.length ? { ...summary, sliceLines: lines.slice(1) } : summary;
}

const f = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));

/** The target's line: defenses, fit, vulnerability and, with DP-SGD, the accountant's ε (δ, σ). */
export function targetLine(t: TargetResult): string {
  const dp = t.privacy
    ? `, ε ${t.privacy.epsilon.toFixed(3)} (δ ${t.privacy.delta}, σ ${t.privacy.noise.toFixed(3)})`
    : '';
  const defs = t.defenses?.length ? ` [${t.defenses.join(', ')}]` : '';
  return `target ${t.name}${defs}: train accuracy ${f(t.trainAccuracy)}, test accuracy ${f(t.testAccuracy)}, gap ${f(t.generalizationGap)}, loss ${t.trainLoss.toFixed(3)}/${t.testLoss.toFixed(3)}, V ${f(t.vulnerability)}${dp}`;
}

/** A line per synthesised shadow dataset: its records and the queries to the target it cost. */
export const shadowDataLines = (run: Pick<RunSummary, 'shadowData'>): string[] =>
  (run.shadowData ?? []).map(
    (x) =>
      `shadow data ${x.dataset}: ${x.records.toLocaleString('en-US')} records by ${x.kind}${x.target !== undefined ? `, ${x.queries.toLocaleString('en-US')} queries to target ${x.target}` : ', no queries to the target'}`,
  );

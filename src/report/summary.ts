/** The metrics of a run without its per-record samples: what the terminal's table and `resultsWritten` carry. */
import type { AttackKind } from '../check/index.js';
import type { Summary } from '../metrics/index.js';
import type { AttackAudit, RunAudit } from './audit.js';
import type { ResultsJson, TargetResult } from './results.js';

export interface RunSummary {
  params: Record<string, number | string>;
  target: TargetResult;
  attacks: { name: string; kind: AttackKind; metrics: Summary }[];
  /** The audit's ε̂ per attack and method, without the canaries' scores. */
  audit?: Omit<RunAudit, 'attacks'> & { attacks: Omit<AttackAudit, 'canaries'>[] };
}

export const summaryOf = (r: ResultsJson): RunSummary[] =>
  r.runs.map((run) => ({
    params: run.params,
    target: run.target,
    attacks: run.attacks.map((a) => ({ name: a.name, kind: a.kind, metrics: a.metrics })),
    ...(run.audit
      ? {
          audit: {
            ...run.audit,
            attacks: run.audit.attacks.map((a) => ({ attack: a.attack, estimates: a.estimates })),
          },
        }
      : {}),
  }));

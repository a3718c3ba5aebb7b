/**
 * The audit block of results.json: per audited attack, the ε lower bound of each method from its canary
 * scores (with the threshold and counts), beside the target's claimed ε where it has one (a dp_sgd
 * target); an ε̂ above the claimed ε is a failed audit.
 */
import type { AuditCounts } from '../audit/index.js';
import type { RunPlan } from '../plan/index.js';
import type { JobOutput } from '../run/index.js';

export interface AuditEstimate {
  method: string;
  epsilon: number;
  threshold: number | null;
  counts: AuditCounts;
  details: Record<string, number>;
}

export interface AttackAudit {
  attack: string;
  estimates: AuditEstimate[];
  /** The canaries' records, whether each was trained on, and the attack's scores of them. */
  canaries: { record: number[]; in: number[]; score: number[] };
}

export interface RunAudit {
  confidence: number;
  delta: number;
  threshold: string;
  canaries: { in: number; out: number; mislabel: boolean; repeat: number };
  /** The ε the target claims (its accountant's, for dp_sgd); null when it claims none. */
  claimedEpsilon: number | null;
  /** Which accountant stated the claimed ε (dp_sgd's: rdp or pld), shown beside it; absent when unknown. */
  accountant?: string;
  /** True when some ε̂ exceeds the claimed ε: the claim is refuted (at the audit's confidence). */
  failed: boolean;
  attacks: AttackAudit[];
}

/** The target's claimed ε, read generically: a finite number under `claimedEpsilon` or `epsilon`, else null. */
export function claimedEpsilonOf(target: object): number | null {
  const t = target as { claimedEpsilon?: unknown; epsilon?: unknown };
  for (const v of [t.claimedEpsilon, t.epsilon]) if (typeof v === 'number' && Number.isFinite(v)) return v;
  return null;
}

/** The run's audit block, or null when the report has no audit or the target no canaries. */
export function auditOf(run: RunPlan, outputs: ReadonlyMap<string, JobOutput>, target: object): RunAudit | null {
  const c = run.target.canaries;
  if (!run.audit || !c) return null;
  const record = [...c.in, ...c.out];
  const inFlag = record.map((_, i) => (i < c.in.length ? 1 : 0));
  const attacks: AttackAudit[] = [];
  for (const a of run.attacks) {
    const ev = outputs.get(a.evaluate);
    if (ev?.kind !== 'evaluate' || !ev.audit) continue;
    attacks.push({
      attack: a.name,
      estimates: ev.audit.results.map((r) => ({
        method: r.method,
        epsilon: r.epsilon,
        threshold: r.threshold,
        counts: r.counts,
        details: r.details,
      })),
      canaries: { record, in: inFlag, score: Array.from(ev.audit.scores) },
    });
  }
  const claimedEpsilon = claimedEpsilonOf(target);
  const accountant = (target as { privacy?: { accountant?: unknown } }).privacy?.accountant;
  const failed = claimedEpsilon !== null && attacks.some((a) => a.estimates.some((e) => e.epsilon > claimedEpsilon));
  return {
    confidence: run.audit.confidence,
    delta: run.audit.delta,
    threshold: run.audit.threshold,
    canaries: { in: c.in.length, out: c.out.length, mislabel: c.mislabel, repeat: c.repeat },
    claimedEpsilon,
    ...(claimedEpsilon !== null && typeof accountant === 'string' ? { accountant } : {}),
    failed,
    attacks,
  };
}

/** The audit as lines for the terminal: attacks × methods of ε̂, and a loud line when the audit fails. */
export function auditTable(a: Omit<RunAudit, 'attacks'> & { attacks: Omit<AttackAudit, 'canaries'>[] }): string[] {
  const methods = [...new Set(a.attacks.flatMap((x) => x.estimates.map((e) => e.method)))];
  const by = a.accountant ? ` (${a.accountant.toUpperCase()} accountant)` : '';
  const claim = a.claimedEpsilon === null ? 'no claimed ε' : `claimed ε ${a.claimedEpsilon}${by}`;
  const head = `privacy audit: ${a.canaries.in} IN / ${a.canaries.out} OUT canaries${a.canaries.mislabel ? ' (mislabelled)' : ''}, confidence ${a.confidence}, δ ${a.delta}, threshold ${a.threshold}, ${claim}`;
  const cols = ['ε̂', ...methods];
  const rows = a.attacks.map((x) => [
    x.attack,
    ...methods.map((m) => x.estimates.find((e) => e.method === m)?.epsilon.toFixed(3) ?? '-'),
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const lines = [head, fmt(cols), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
  if (a.failed)
    lines.push(
      `AUDIT FAILED: an ε̂ exceeds the claimed ε ${a.claimedEpsilon}: the target is not (${a.claimedEpsilon}, ${a.delta})-DP (at confidence ${a.confidence}).`,
    );
  return lines;
}

/**
 * Expectations over slices (`lira[class].tpr@1% < 5%`, `lira["sex"].auc < 0.6`): every slice must satisfy the
 * comparison. The point's value is the slice that decides it (the highest value against `<`, the lowest against
 * `>`), named; a slice whose figure is not a measurement (no members or non-members, or a TPR level below
 * 1/(its non-members)) fails the point, named with the reason: a gate passes only on what it measured.
 */
import { compare, type ExpectSubject, type SliceDef } from '../check/index.js';
import { trustedTpr, type SliceMetrics, type Summary } from '../metrics/index.js';
import type { CompareOp } from '../lang/index.js';
import type { RunResult } from './results.js';

type AttackSubject = Extract<ExpectSubject, { of: 'attack' }>;

/** A point of an expectation over slices: the deciding slice and, when it has no figure, why. */
export interface SliceVerdict {
  value: number | null;
  holds: boolean;
  slice: string | null;
  reason?: string;
}

/** "class 3", "sex = F": a slice as the terminal and the report name it. */
export const sliceName = (s: { by: string; value: number | string }): string =>
  s.by === 'class' ? `class ${s.value}` : `${s.by} = ${s.value}`;

const finite = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

/** The subject's metric in a summary (its point value or an end of its interval). */
export function summaryValue(m: Summary, s: Pick<AttackSubject, 'metric' | 'end'>): number | null {
  const end = s.end === 'lower' ? 0 : 1;
  switch (s.metric.kind) {
    case 'auc':
      return finite(s.end === 'value' ? m.auc : m.ci?.auc[end]);
    case 'tprAtFpr': {
      const k = String(s.metric.fpr);
      return finite(s.end === 'value' ? m.tprAtFpr[k] : m.ci?.tprAtFpr[k]?.[end]);
    }
    case 'balanced_accuracy':
      return finite(m.balancedAccuracy);
    case 'advantage':
      return finite(m.advantage);
    case 'precision':
      return finite(m.precision);
    case 'recall':
      return finite(m.recall);
  }
}

const matches = (d: SliceDef, s: SliceMetrics): boolean => (d.by === 'class' ? s.by === 'class' : s.by === d.column);

/** Why a slice has no figure for the subject's metric; null when it has one. */
function unmeasured(s: SliceMetrics, subject: AttackSubject): string | null {
  if (!s.metrics) return s.reason ?? 'it has no metrics';
  if (subject.metric.kind !== 'tprAtFpr') return null;
  const level = String(subject.metric.fpr);
  if (trustedTpr(s, level) && s.metrics.tprAtFpr[level] !== undefined) return null;
  const pct = `${+(subject.metric.fpr * 100).toPrecision(6)}%`;
  return `its ${s.nonMembers} non-members are too few to measure tpr@${pct}`;
}

/** Every slice of the subject's kind judged; the point's verdict. */
export function sliceVerdict(subject: AttackSubject, op: CompareOp, bound: number, run: RunResult): SliceVerdict {
  const a = run.attacks.find((x) => x.name === subject.attack);
  const slices = (a?.slices ?? []).filter((s) => subject.slice && matches(subject.slice, s));
  if (!slices.length) return { value: null, holds: false, slice: null, reason: 'the results hold no such slices' };
  let worst: { s: SliceMetrics; v: number } | null = null;
  for (const s of slices) {
    const why = unmeasured(s, subject);
    const v = why === null && s.metrics ? summaryValue(s.metrics, subject) : null;
    if (v === null) return { value: null, holds: false, slice: sliceName(s), reason: why ?? 'no value' };
    const upper = op === '<' || op === '<=';
    if (!worst || (upper ? v > worst.v : v < worst.v)) worst = { s, v };
  }
  return { value: worst!.v, holds: compare(worst!.v, op, bound), slice: sliceName(worst!.s) };
}

/**
 * Reads `expect { ... }` (a report entry or its own declaration) into ExpectationDefs. Only the shape
 * is judged here (a metric path of names and `@` levels, a number or percentage as the bound); what
 * the names mean is the expectations rule's business (rules/expectations.ts).
 */
import type { Expr } from '../../lang/index.js';
import type { ExpectationDef, ExpectPart } from '../expectations.js';
import type { MetricSpec, ReportDef } from '../program.js';
import { DEFAULT_METRICS } from './report.js';
import type { ReadContext } from './context.js';

type ExpectExpr = Extract<Expr, { kind: 'expect' }>;

export function readExpectations(ctx: ReadContext, e: ExpectExpr): ExpectationDef[] {
  const { r, loc } = ctx;
  const out: ExpectationDef[] = [];
  for (const c of e.checks) {
    if (c.recovered) continue;
    const path = metricPath(ctx, c.metric);
    const bound = r.number(c.bound, 'The bound of an expectation', { percent: true });
    if (!path || bound === undefined) continue;
    const [subject, ...parts] = path;
    if (!subject || subject.level !== null) {
      r.error(
        'E260',
        'An expectation starts with the name of an attack or a target, e.g. loss.auc < 0.6.',
        c.metric.range,
      );
      continue;
    }
    const text = `${source(c.metric)} ${c.op} ${source(c.bound)}`;
    const def: ExpectationDef = { text, subject: subject.name, parts, op: c.op, bound, range: c.range };
    const first = firstName(c.metric);
    loc.put(def, r.file, c.range, {
      subject: first?.range ?? c.metric.range,
      metric: c.metric.range,
      bound: c.bound.range,
    });
    out.push(def);
  }
  return out;
}

/** `a.b@1%.c` → [a, b@0.01, c]; null (after an error) when a level is not a number. */
function metricPath(ctx: ReadContext, e: Expr): ExpectPart[] | null {
  switch (e.kind) {
    case 'ident':
      return [{ name: e.name, level: null }];
    case 'member': {
      const head = metricPath(ctx, e.object);
      return head && [...head, { name: e.property, level: null }];
    }
    case 'at': {
      const head = metricPath(ctx, e.left);
      const level = ctx.r.number(e.level, 'The level after @', { percent: true });
      const last = head?.at(-1);
      if (!head || !last || level === undefined) return null;
      return [...head.slice(0, -1), { name: last.name, level }];
    }
    default:
      ctx.r.error('E260', 'An expectation compares a metric, e.g. lira.tpr@0.1% < 2%.', e.range);
      return null;
  }
}

function firstName(e: Expr): Extract<Expr, { kind: 'ident' }> | null {
  if (e.kind === 'ident') return e;
  if (e.kind === 'member') return firstName(e.object);
  if (e.kind === 'at') return firstName(e.left);
  return null;
}

/** The metric or bound as written (names, levels and numbers only). */
function source(e: Expr): string {
  switch (e.kind) {
    case 'ident':
      return e.name;
    case 'member':
      return `${source(e.object)}.${e.property}`;
    case 'at':
      return `${source(e.left)}@${source(e.level)}`;
    case 'number':
      return e.raw;
    case 'percent':
      return `${e.raw}%`;
    default:
      return '…';
  }
}

/**
 * The report with the expectations added; a tpr@ level that an expectation names is computed (and shown)
 * even when the report's metrics do not list it. Levels outside (0%, 100%) are left to the rule.
 */
export function withExpectations(report: ReportDef | null, defs: readonly ExpectationDef[]): ReportDef | null {
  if (defs.length === 0) return report;
  const base: ReportDef = report ?? { metrics: DEFAULT_METRICS.slice(), plots: [] };
  const metrics: MetricSpec[] = [...base.metrics];
  for (const d of defs) {
    const level = d.parts[0]?.name === 'tpr' ? d.parts[0].level : null;
    if (level === null || !(level > 0 && level < 1)) continue;
    if (!metrics.some((m) => m.kind === 'tprAtFpr' && m.fpr === level)) metrics.push({ kind: 'tprAtFpr', fpr: level });
  }
  return Object.assign(base, { metrics, expectations: [...(base.expectations ?? []), ...defs] });
}

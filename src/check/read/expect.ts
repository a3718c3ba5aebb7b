/**
 * Reads `expect { ... }` (a report entry or its own declaration) into ExpectationDefs. Only the shape
 * is judged here (a metric path of names and `@` levels, a number or percentage as the bound); what
 * the names mean is the expectations rule's business (rules/expectations.ts).
 */
import { clip, metricText, numberText, metricSteps, type Expr, type Range } from '../../lang/index.js';
import { didYouMean } from '../../util/suggest.js';
import type { ExpectationDef, ExpectPart } from '../../kinds/expectations.js';
import type { MetricSpec, ReportDef, SliceDef } from '../../kinds/program.js';
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
    if (!subject || subject.level !== null || parts.some((p) => p.index)) {
      r.error(
        'E260',
        'An expectation starts with the name of an attack or a target, e.g. loss.auc < 0.6.',
        c.metric.range,
      );
      continue;
    }
    const slice = subject.index ? sliceOf(ctx, subject.index) : undefined;
    if (slice === null) continue;
    const text = `${metricText(c.metric) ?? '…'} ${c.op} ${numberText(c.bound)}`;
    const def: ExpectationDef = {
      text,
      subject: subject.name,
      parts: parts.map(({ name, level }) => ({ name, level })),
      op: c.op,
      bound,
      range: c.range,
      ...(slice ? { slice } : {}),
    };
    loc.put(def, r.file, c.range, {
      subject: subjectRange(c.metric),
      metric: c.metric.range,
      bound: c.bound.range,
    });
    out.push(def);
  }
  return out;
}

/** The slices of `lira[class]`, `lira["sex"]`; null after an error (not class, not a quoted column). */
function sliceOf(ctx: ReadContext, key: Expr): SliceDef | null {
  const place = { file: ctx.r.file, range: key.range };
  if (key.kind === 'ident' && key.name === 'class') return { by: 'class', ...place };
  const column = key.kind === 'string' ? key.value.trim() : '';
  if (column !== '' && column !== 'class') return { by: 'column', column, ...place };
  const name = key.kind === 'ident' ? key.name : '';
  ctx.r.error(
    'E264',
    `An expectation's slices are class or a column in quotes, not ${key.kind === 'ident' ? `"${clip(name)}"` : JSON.stringify(column)}.${name ? didYouMean(name, ['class']) : ''}`,
    key.range,
    'Write lira[class].tpr@1% < 5% (every class) or lira["sex"].auc < 0.6 (every value of the column).',
  );
  return null;
}

type Step = ExpectPart & { index?: Expr };

/** `a.b@1%.c` → [a, b@0.01, c]; null (after an error) when a step or a level is not what it should be. */
function metricPath(ctx: ReadContext, e: Expr): Step[] | null {
  const { steps, bad } = metricSteps(e);
  if (bad) {
    ctx.r.error('E260', 'An expectation compares a metric, e.g. lira.tpr@0.1% < 2%.', bad.range);
    return null;
  }
  const out: Step[] = [];
  for (const s of steps) {
    const level = s.level === null ? null : ctx.r.number(s.level, 'The level after @', { percent: true });
    if (level === undefined) return null;
    out.push({ name: s.name, level, ...(s.index ? { index: s.index } : {}) });
  }
  return out;
}

/** The range of the first name of a metric path (the attack or target it names). */
function subjectRange(e: Expr): Range {
  let cur = e;
  while (cur.kind === 'member' || cur.kind === 'at' || cur.kind === 'index')
    cur = cur.kind === 'member' || cur.kind === 'index' ? cur.object : cur.left;
  return cur.range;
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
  const slices = [...(base.slices ?? [])];
  for (const d of defs) {
    const s = d.slice;
    if (s?.by === 'column' && !slices.some((x) => x.by === 'column' && x.column === s.column)) slices.push(s);
  }
  const more = slices.length ? { slices } : {};
  return Object.assign(base, { metrics, ...more, expectations: [...(base.expectations ?? []), ...defs] });
}

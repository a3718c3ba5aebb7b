/**
 * The metric path of an expectation (`lira.tpr@0.1%.ci.upper`) as a flat list of steps, and its text.
 * Both walk the member / `@` chain in a loop, so a path of any length neither recurses nor overflows.
 */
import type { Expr } from './ast.js';

export interface MetricStep {
  name: string;
  /** The `@` level written after this name, if any. */
  level: Expr | null;
  /** The slice key written after this name (`lira[class]`, `lira["sex"]`), if any. */
  index?: Expr;
}

/** The steps of a metric path; `bad` is the first part that is not a name, a `.name` or an `@` level. */
export function metricSteps(e: Expr): { steps: MetricStep[]; bad: Expr | null } {
  const rev: MetricStep[] = [];
  let cur: Expr = e;
  let level: Expr | null = null;
  let index: Expr | null = null;
  const step = (name: string): MetricStep => ({ name, level, ...(index ? { index } : {}) });
  for (;;) {
    if (cur.kind === 'at' && level === null && index === null) {
      level = cur.level;
      cur = cur.left;
    } else if (cur.kind === 'index' && index === null) {
      index = cur.key;
      cur = cur.object;
    } else if (cur.kind === 'member') {
      rev.push(step(cur.property));
      [level, index] = [null, null];
      cur = cur.object;
    } else if (cur.kind === 'ident' && cur.name !== '') {
      rev.push(step(cur.name));
      return { steps: rev.reverse(), bad: null };
    } else return { steps: [], bad: cur };
  }
}

/** A slice key as written: `class`, `"sex"`. */
export const keyText = (e: Expr): string =>
  e.kind === 'string' ? JSON.stringify(e.value) : e.kind === 'ident' ? e.name : '…';

/** A level or bound as written: `0.1%`, `0.6`. */
export const numberText = (e: Expr): string =>
  e.kind === 'number' ? e.raw : e.kind === 'percent' ? `${e.raw}%` : e.kind === 'ident' ? e.name : '…';

/** The metric path as written, e.g. `lira.tpr@0.1%.ci.upper`; null when it is not one (see metricSteps). */
export function metricText(e: Expr, level: (e: Expr) => string = numberText): string | null {
  const { steps, bad } = metricSteps(e);
  if (bad) return null;
  const key = (s: MetricStep): string => (s.index ? `[${keyText(s.index)}]` : '');
  return steps.map((s) => `${s.name}${key(s)}${s.level ? `@${level(s.level)}` : ''}`).join('.');
}

/** Shared by the value rules: report a number that lies outside what its setting allows. */
import type { RuleContext } from './rule.js';

export type Bound = 'positive' | 'atLeast1' | 'nonNegative' | 'fraction' | 'openFraction' | 'closedFraction';

const ok: Record<Bound, (v: number) => boolean> = {
  positive: (v) => v > 0,
  atLeast1: (v) => v >= 1,
  nonNegative: (v) => v >= 0,
  fraction: (v) => v >= 0 && v < 1,
  openFraction: (v) => v > 0 && v < 1,
  closedFraction: (v) => v >= 0 && v <= 1,
};

const wanted: Record<Bound, string> = {
  positive: 'greater than 0',
  atLeast1: 'at least 1',
  nonNegative: 'at least 0',
  fraction: 'at least 0 and below 1',
  openFraction: 'strictly between 0 and 1',
  closedFraction: 'between 0 and 1',
};

export function bounded(
  ctx: RuleContext,
  code: string,
  v: number,
  bound: Bound,
  def: object,
  field: string,
  what: string,
): void {
  if (ok[bound](v)) return;
  ctx.error(code, `${what} must be ${wanted[bound]}, not ${v}.`, ctx.loc.of(def, field));
}

/** Shared by the value rules: report a number that lies outside what its setting allows. */
import type { Code } from '../../lang/codes.js';
import type { RuleContext } from './rule.js';

import { BOUND_OK as ok, BOUND_TEXT as wanted, type Bound } from '../../kinds/schema.js';

export type { Bound };

export function bounded(
  ctx: RuleContext,
  code: Code,
  v: number,
  bound: Bound,
  def: object,
  field: string,
  what: string,
): void {
  if (ok[bound](v)) return;
  ctx.error(code, `${what} must be ${wanted[bound]}, not ${v}.`, ctx.loc.of(def, field));
}

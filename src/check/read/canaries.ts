/** `canaries digits.take(1000) { mislabel: true, repeat: 2 }` in a target: the audit's canary records. */
import type { Expr } from '../../lang/index.js';
import { CANARY_SCHEMA } from '../../kinds/canary-settings/index.js';
import type { CanariesDef } from '../../kinds/program.js';
import type { ReadContext } from './context.js';
import { readDataRef } from './data.js';
import { readSettings, withDefaults } from './settings.js';

/**
 * The canaries of target `target`: a subset, with an optional block of settings after it, read against
 * the canary settings' schema (src/kinds/canary-settings/); their bounds are the rules' (setting-bounds).
 * A wrongly written setting (reported here) counts as its default, so the others are still checked.
 */
export function readCanaries(ctx: ReadContext, e: Expr, target: string): CanariesDef | undefined {
  const { r, loc } = ctx;
  const what = `the canaries of target "${target}"`;
  const block = e.kind === 'call' && e.callee.kind === 'member' ? e.block : null;
  const subset: Expr = block && e.kind === 'call' ? (e.parens ? { ...e, block: null } : e.callee) : e;
  const data = readDataRef(ctx, subset, `The canaries of target "${target}"`);
  const at = block ? block.range : e.range;
  const c = { name: '', nameRange: at, args: [], block, range: at };
  const read = readSettings(ctx, c, CANARY_SCHEMA, [], what, `The canaries of target "${target}"`, at);
  const settings = withDefaults(CANARY_SCHEMA, read);
  if (!data || !settings) return undefined;
  const def = { data, ...settings, file: r.file, range: e.range } as CanariesDef;
  loc.put(def, r.file, e.range, { data: subset.range, ...read.fields });
  return def;
}

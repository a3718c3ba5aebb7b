/** Targets: local (`target t { model, members, nonmembers }`), imported (a tfjs model on disk), remote (an HTTP API). */
import type { Expr, Item, Range } from '../../lang/index.js';
import type { DataRef, DefenseDef, TargetDef } from '../../kinds/program.js';
import { type CallParts, callParts, params, type Param } from './expr-reader.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';
import { readCanaries } from './canaries.js';
import { readDataRef } from './data.js';
import { readDefense } from './defenses.js';
import { COMMON, TARGET_SOURCES, type TargetSource } from './target-sources/index.js';

/** The target sources' names (src/check/read/target-sources/, one file each). */
export const TARGET_KINDS: readonly string[] = TARGET_SOURCES.map((s) => s.kind);

/** A target's `defenses [...]` (none when absent), each item's range kept in `fields`; undefined if one is wrong. */
function readTargetDefenses(
  ctx: ReadContext,
  defE: Param | undefined,
  defenses: ReadonlyMap<string, () => DefenseDef | undefined>,
  fields: Record<string, Range>,
): DefenseDef[] | undefined {
  if (!defE) return [];
  const items: Expr[] = defE.value.kind === 'list' ? defE.value.items : [defE.value];
  const read = items.map((i) => readDefense(ctx, i, defenses));
  read.forEach((_, i) => {
    fields[`defenses.${i}`] = items[i]!.range;
  });
  return read.every((d): d is DefenseDef => d !== undefined) ? read : undefined;
}

/** The target's source and settings as a call: a bare block is the `bare` source's (a local target). */
function targetCall(
  ctx: ReadContext,
  t: Extract<Item, { kind: 'target' }>,
  what: string,
): { c: CallParts; source: TargetSource } | undefined {
  const bare = TARGET_SOURCES.find((s) => s.bare);
  const c =
    t.value.kind === 'block' && bare
      ? { name: bare.kind, nameRange: t.nameRange, args: [], block: t.value.block, range: t.value.range }
      : callParts(t.value);
  const source = c ? TARGET_SOURCES.find((s) => s.kind === c.name) : undefined;
  if (c && source) return { c, source };
  const usages = TARGET_SOURCES.map((s) => s.usage);
  ctx.r.error(
    'E190',
    `The ${what} must be ${usages.slice(0, -1).join(', ')} or ${usages.at(-1)}.${c ? didYouMean(c.name, TARGET_KINDS) : ''}`,
    c?.nameRange ?? t.value.range,
  );
  return undefined;
}

export function readTarget(
  ctx: ReadContext,
  t: Extract<Item, { kind: 'target' }>,
  defenses: ReadonlyMap<string, () => DefenseDef | undefined>,
): TargetDef | undefined {
  const { r, loc } = ctx;
  const what = `target "${t.name}"`;
  const call = targetCall(ctx, t, what);
  if (!call) return undefined;
  const { c, source: kind } = call;
  const p = params(r, c, `the ${what}`, kind.positional, [...kind.named, ...COMMON]);
  const fields: Record<string, Range> = { name: t.nameRange };
  for (const [k, v] of p) fields[k] = v.value.range;
  const need = (k: string): Param | undefined => r.required(p, k, `The ${what}`, t.nameRange);
  const memE = need('members');
  const nonE = need('nonmembers');
  const members: DataRef | undefined = memE ? readDataRef(ctx, memE.value, 'The members') : undefined;
  const nonmembers: DataRef | undefined = nonE ? readDataRef(ctx, nonE.value, 'The non-members') : undefined;
  const defs = readTargetDefenses(ctx, p.get('defenses'), defenses, fields);
  const common =
    members && nonmembers && defs
      ? { name: t.name, members, nonmembers, defenses: defs, file: r.file, range: t.range }
      : null;
  const def = kind.read(ctx, what, p, need, common);
  const cE = p.get('canaries');
  const canaries = cE ? readCanaries(ctx, cE.value, t.name) : undefined;
  if (cE && !canaries) return undefined;
  if (def && canaries) def.canaries = canaries;
  if (def) loc.put(def, r.file, t.range, fields);
  return def;
}

/** Targets: local (`target t { model, members, nonmembers }`), imported (a tfjs model on disk), remote (an HTTP API). */
import type { Expr, Item, Range } from '../../lang/index.js';
import type { DataRef, DefenseDef, TargetDef } from '../program.js';
import { callParts, params, type Param } from '../reader.js';
import { didYouMean } from '../suggest.js';
import type { ReadContext } from './context.js';
import { readCanaries } from './canaries.js';
import { readDataRef } from './data.js';
import { readDefense } from './defenses.js';
import { REMOTE_SETTINGS, readRemoteSettings } from './remote.js';

export const TARGET_KINDS = ['local', 'imported', 'remote'] as const;
/** What an imported model outputs, where its file cannot tell. */
const IMPORTED_OUTPUTS = ['logits', 'probabilities'] as const;

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

/** An imported target's `output: logits | probabilities` ({} when absent, undefined when wrong). */
function importedOutput(ctx: ReadContext, e: Param | undefined): { output?: 'logits' | 'probabilities' } | undefined {
  if (!e) return {};
  const output = ctx.r.oneOf(e.value, 'output', IMPORTED_OUTPUTS);
  return output ? { output } : undefined;
}

export function readTarget(
  ctx: ReadContext,
  t: Extract<Item, { kind: 'target' }>,
  defenses: ReadonlyMap<string, () => DefenseDef | undefined>,
): TargetDef | undefined {
  const { r, loc } = ctx;
  const what = `target "${t.name}"`;
  const c =
    t.value.kind === 'block'
      ? { name: 'local', nameRange: t.nameRange, args: [], block: t.value.block, range: t.value.range }
      : callParts(t.value);
  if (!c || !(TARGET_KINDS as readonly string[]).includes(c.name)) {
    r.error(
      'E190',
      `The ${what} must be a local model { model, members, nonmembers }, imported("model.json") { ... } or remote { url, ... }.${c ? didYouMean(c.name, TARGET_KINDS) : ''}`,
      c?.nameRange ?? t.value.range,
    );
    return undefined;
  }
  const common = ['members', 'nonmembers', 'defenses', 'canaries'];
  const p =
    c.name === 'local'
      ? params(r, c, `the ${what}`, [], ['model', ...common])
      : c.name === 'imported'
        ? params(r, c, `the ${what}`, ['path'], ['output', ...common])
        : params(r, c, `the ${what}`, [], [...REMOTE_SETTINGS, ...common]);
  const fields: Record<string, Range> = { name: t.nameRange };
  for (const [k, v] of p) fields[k] = v.value.range;
  const need = (k: string): Param | undefined => r.required(p, k, `The ${what}`, t.nameRange);
  const memE = need('members');
  const nonE = need('nonmembers');
  const members: DataRef | undefined = memE ? readDataRef(ctx, memE.value, 'The members') : undefined;
  const nonmembers: DataRef | undefined = nonE ? readDataRef(ctx, nonE.value, 'The non-members') : undefined;
  const defs = readTargetDefenses(ctx, p.get('defenses'), defenses, fields);
  let def: TargetDef | undefined;
  const range = t.range;
  if (c.name === 'local') {
    const mE = need('model');
    const model = mE ? r.name(mE.value, `The model of ${what}`) : undefined;
    if (model && members && nonmembers && defs)
      def = { kind: 'local', name: t.name, model, members, nonmembers, defenses: defs, file: r.file, range };
  } else if (c.name === 'imported') {
    const pE = need('path');
    const path = pE ? r.string(pE.value, `The path of ${what}`) : undefined;
    const out = importedOutput(ctx, p.get('output'));
    if (path !== undefined && members && nonmembers && defs && out)
      def = { kind: 'imported', name: t.name, path, members, nonmembers, defenses: defs, file: r.file, range, ...out };
  } else {
    const settings = readRemoteSettings(ctx, p, what, need);
    if (settings && members && nonmembers && defs)
      def = { kind: 'remote', name: t.name, ...settings, members, nonmembers, defenses: defs, file: r.file, range };
  }
  const cE = p.get('canaries');
  const canaries = cE ? readCanaries(ctx, cE.value, t.name) : undefined;
  if (cE && !canaries) return undefined;
  if (def && canaries) def.canaries = canaries;
  if (def) loc.put(def, r.file, range, fields);
  return def;
}

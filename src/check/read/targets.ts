/** Targets: local (`target t { model, members, nonmembers }`), imported (a tfjs model on disk), remote (an HTTP API). */
import type { Expr, Item, Range } from '../../lang/index.js';
import type { DataRef, DefenseDef, TargetDef } from '../../kinds/program.js';
import { type CallParts, callParts, params, type Param } from './expr-reader.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';
import { readCanaries } from './canaries.js';
import { readDataRef } from './data.js';
import { readDefense } from './defenses.js';
import { REMOTE_SETTINGS, readRemoteSettings } from './remote.js';
import { ONNX_SETTINGS, readOnnxTarget } from './onnx-target.js';

export const TARGET_KINDS = ['local', 'imported', 'remote', 'onnx'] as const;
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

/** What every kind of target has, read before the kind's own settings. */
interface TargetCommon {
  name: string;
  members: DataRef;
  nonmembers: DataRef;
  defenses: DefenseDef[];
  file: string;
  range: Range;
}

/** A kind's own settings, read with `need` (required) and `p` (all of them); null when one is wrong. */
type KindReader = (
  ctx: ReadContext,
  what: string,
  p: Map<string, Param>,
  need: (k: string) => Param | undefined,
  common: TargetCommon | null,
) => TargetDef | undefined;

const COMMON = ['members', 'nonmembers', 'defenses', 'canaries'];

/** Each kind of target: its settings (positional, named) and its reader. */
const TARGET_READERS: Record<
  (typeof TARGET_KINDS)[number],
  { positional: string[]; named: string[]; read: KindReader }
> = {
  local: {
    positional: [],
    named: ['model', ...COMMON],
    read: (ctx, what, _p, need, common) => {
      const mE = need('model');
      const model = mE ? ctx.r.name(mE.value, `The model of ${what}`) : undefined;
      return model && common ? { kind: 'local', ...withModel(common, model) } : undefined;
    },
  },
  imported: {
    positional: ['path'],
    named: ['output', ...COMMON],
    read: (ctx, what, p, need, common) => {
      const pE = need('path');
      const path = pE ? ctx.r.string(pE.value, `The path of ${what}`) : undefined;
      const out = importedOutput(ctx, p.get('output'));
      return path !== undefined && common && out ? { kind: 'imported', ...withPath(common, path), ...out } : undefined;
    },
  },
  onnx: { positional: ['path'], named: [...ONNX_SETTINGS, ...COMMON], read: readOnnxTarget },
  remote: {
    positional: [],
    named: [...REMOTE_SETTINGS, ...COMMON],
    read: (ctx, what, p, need, common) => {
      const settings = readRemoteSettings(ctx, p, what, need);
      if (!settings || !common) return undefined;
      const { name, members, nonmembers, defenses, file, range } = common;
      return { kind: 'remote', name, ...settings, members, nonmembers, defenses, file, range };
    },
  },
};

// The fields in the order a target definition has always listed them (results and hashes read them).
const withModel = ({ name, members, nonmembers, defenses, file, range }: TargetCommon, model: string) => ({
  name,
  model,
  members,
  nonmembers,
  defenses,
  file,
  range,
});
const withPath = ({ name, members, nonmembers, defenses, file, range }: TargetCommon, path: string) => ({
  name,
  path,
  members,
  nonmembers,
  defenses,
  file,
  range,
});

/** The target's kind and settings as a call: a bare block is a local target. */
function targetCall(ctx: ReadContext, t: Extract<Item, { kind: 'target' }>, what: string): CallParts | undefined {
  const c =
    t.value.kind === 'block'
      ? { name: 'local', nameRange: t.nameRange, args: [], block: t.value.block, range: t.value.range }
      : callParts(t.value);
  if (c && (TARGET_KINDS as readonly string[]).includes(c.name)) return c;
  ctx.r.error(
    'E190',
    `The ${what} must be a local model { model, members, nonmembers }, imported("model.json") { ... }, onnx("model.onnx") { ... } or remote { url, ... }.${c ? didYouMean(c.name, TARGET_KINDS) : ''}`,
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
  const c = targetCall(ctx, t, what);
  if (!c) return undefined;
  const kind = TARGET_READERS[c.name as (typeof TARGET_KINDS)[number]];
  const p = params(r, c, `the ${what}`, kind.positional, kind.named);
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

/** Targets: local (`target t { model, members, nonmembers }`), imported (a tfjs model on disk), remote (an HTTP API). */
import type { Expr, Item, Range } from '../../lang/index.js';
import type { DataRef, DefenseDef, TargetDef } from '../../kinds/program.js';
import { callParts, params, type Param } from './expr-reader.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';
import { readCanaries } from './canaries.js';
import { readDataRef } from './data.js';
import { readDefense } from './defenses.js';

export const TARGET_KINDS = ['local', 'imported', 'remote'] as const;
const OUTPUTS = ['probabilities', 'logits', 'labels', 'top_k'] as const;

type RemoteOutput = Pick<Extract<TargetDef, { kind: 'remote' }>, 'output' | 'k'>;

/** A remote API's output: probabilities, logits, labels, or top_k(K) (its K highest probabilities). */
function readOutput(ctx: ReadContext, e: Expr, what: string): RemoteOutput | undefined {
  const { r } = ctx;
  const c = callParts(e);
  if (c?.name !== 'top_k') {
    const output = r.oneOf(e, 'output', OUTPUTS);
    return output === undefined ? undefined : { output };
  }
  const [arg] = c.args;
  if (c.args.length !== 1 || !arg || arg.name !== null) {
    r.error('E110', `The output top_k of ${what} needs how many classes the API returns: write top_k(3).`, e.range);
    return undefined;
  }
  const k = r.number(arg.value, `The k of top_k in ${what}`, { integer: true });
  return k === undefined ? undefined : { output: 'top_k', k };
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
        ? params(r, c, `the ${what}`, ['path'], common)
        : params(r, c, `the ${what}`, [], ['url', 'output', 'budget', ...common]);
  const fields: Record<string, Range> = { name: t.nameRange };
  for (const [k, v] of p) fields[k] = v.value.range;
  const need = (k: string): Param | undefined => r.required(p, k, `The ${what}`, t.nameRange);
  const memE = need('members');
  const nonE = need('nonmembers');
  const members: DataRef | undefined = memE ? readDataRef(ctx, memE.value, 'The members') : undefined;
  const nonmembers: DataRef | undefined = nonE ? readDataRef(ctx, nonE.value, 'The non-members') : undefined;
  const defE = p.get('defenses');
  let defs: DefenseDef[] | undefined = [];
  if (defE) {
    const items: Expr[] | undefined = defE.value.kind === 'list' ? defE.value.items : [defE.value];
    const read = items.map((i) => readDefense(ctx, i, defenses));
    defs = read.every((d): d is DefenseDef => d !== undefined) ? read : undefined;
    read.forEach((_, i) => {
      fields[`defenses.${i}`] = items[i]!.range;
    });
  }
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
    if (path !== undefined && members && nonmembers && defs)
      def = { kind: 'imported', name: t.name, path, members, nonmembers, defenses: defs, file: r.file, range };
  } else {
    const uE = need('url');
    const url = uE ? r.string(uE.value, `The url of ${what}`) : undefined;
    const oE = p.get('output');
    const out = oE ? readOutput(ctx, oE.value, what) : { output: 'probabilities' as const };
    const bE = need('budget');
    const budget = bE ? r.number(bE.value, `The query budget of ${what}`, { integer: true }) : undefined;
    if (url !== undefined && out && budget !== undefined && members && nonmembers && defs) {
      def = {
        kind: 'remote',
        name: t.name,
        url,
        ...out,
        budget,
        members,
        nonmembers,
        defenses: defs,
        file: r.file,
        range,
      };
    }
  }
  const cE = p.get('canaries');
  const canaries = cE ? readCanaries(ctx, cE.value, t.name) : undefined;
  if (cE && !canaries) return undefined;
  if (def && canaries) def.canaries = canaries;
  if (def) loc.put(def, r.file, range, fields);
  return def;
}

/** Datasets (a data source read against its descriptor, src/data/sources/) and subsets such as `digits.take(10)`. */
import type { Expr, Item, Range } from '../../lang/index.js';
import { dataSourceKinds } from '../../data/sources/index.js';
import type { DataOp, DataRef, DatasetDef } from '../../kinds/program.js';
import { callParts } from './expr-reader.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';
import { readSettings } from './settings.js';

export const SUBSET_OPS = ['take', 'rest', 'taken', 'sample', 'classes', 'members', 'nonmembers'] as const;

export function readDataset(ctx: ReadContext, d: Extract<Item, { kind: 'dataset' }>): DatasetDef | undefined {
  const { r, loc } = ctx;
  const c = callParts(d.value);
  if (!c) {
    r.error(
      'E130',
      `The dataset "${d.name}" must be a data source, such as mnist or csv("file.csv") { label: "y" }.`,
      d.value.range,
    );
    return undefined;
  }
  const kinds = dataSourceKinds();
  const k = kinds.find((x) => x.kind === c.name);
  if (!k) {
    const names = kinds.map((x) => x.kind);
    r.error(
      'E131',
      `Unknown data source "${c.name}".${didYouMean(c.name, names)}`,
      c.nameRange,
      `Use one of: ${names.join(', ')}.`,
    );
    return undefined;
  }
  const what = `the data source ${c.name} of dataset "${d.name}"`;
  const read = readSettings(ctx, c, k.settings, k.positional ?? [], what, `The dataset "${d.name}"`, c.range);
  if (!read.settings) return undefined;
  const def: DatasetDef = {
    name: d.name,
    source: { kind: k.kind, settings: read.settings },
    file: r.file,
    range: d.range,
  };
  loc.put(def, r.file, d.range, { name: d.nameRange, source: d.value.range, ...read.fields });
  return def;
}

/** One step of a subset chain: `take(10)` (args [10]) or `rest` (args null). */
interface Link {
  name: string;
  args: Expr[] | null;
  nameRange: Range;
  range: Range;
}

/** `digits.take(10).rest` → base `digits` and the links [take(10), rest]. */
function subsetChain(e: Expr): { base: Expr; chain: Link[] } {
  if (e.kind === 'member') {
    const inner = subsetChain(e.object);
    return {
      base: inner.base,
      chain: [...inner.chain, { name: e.property, args: null, nameRange: e.propertyRange, range: e.range }],
    };
  }
  if (e.kind === 'call' && e.callee.kind === 'member' && e.block === null) {
    const inner = subsetChain(e.callee.object);
    return {
      base: inner.base,
      chain: [
        ...inner.chain,
        {
          name: e.callee.property,
          args: e.args.map((a) => a.value),
          nameRange: e.callee.propertyRange,
          range: e.range,
        },
      ],
    };
  }
  return { base: e, chain: [] };
}

/** A dataset or a subset of one: `digits`, `digits.take(1000)`, `digits.rest`, `digits.sample(500).classes([0, 1])`. */
export function readDataRef(ctx: ReadContext, e: Expr, what: string): DataRef | undefined {
  const { r, loc } = ctx;
  const { base, chain } = subsetChain(e);
  const ds = r.name(base, `${what} (a dataset or a subset such as digits.take(1000))`);
  if (ds === undefined) return undefined;
  const ops: DataOp[] = [];
  const fields: Record<string, Range> = {};
  for (const [i, link] of chain.entries()) {
    fields[`ops.${i}`] = link.range;
    const op = readSubsetOp(ctx, ds, link, i, fields);
    if (!op) return undefined;
    ops.push(op);
  }
  const ref: DataRef = { dataset: ds, ops, file: r.file, range: e.range };
  loc.put(ref, r.file, e.range, { dataset: base.range, ...fields });
  return ref;
}

/** One step of a subset chain (the `i`-th after dataset `ds`); only classes([...]) may follow another step. */
function readSubsetOp(
  ctx: ReadContext,
  ds: string,
  link: Link,
  i: number,
  fields: Record<string, Range>,
): DataOp | undefined {
  const { r } = ctx;
  const args = link.args ?? [];
  if (i > 0 && link.name !== 'classes' && (SUBSET_OPS as readonly string[]).includes(link.name)) {
    r.error(
      'E122',
      `"${link.name}" must come first in a subset of "${ds}"; only classes([...]) can follow it.`,
      link.nameRange,
      `Write ${ds}.${link.name}(...).classes([...]).`,
    );
    return undefined;
  }
  switch (link.name) {
    case 'take':
    case 'sample': {
      if (link.args === null || args.length !== 1) {
        r.error(
          'E120',
          `${link.name} needs one argument, the number of records: ${ds}.${link.name}(1000).`,
          link.range,
        );
        return undefined;
      }
      fields[`ops.${i}.n`] = args[0]!.range;
      const n = r.number(args[0]!, `The number of records to ${link.name}`, { integer: true });
      return n === undefined ? undefined : { op: link.name, n };
    }
    case 'rest':
    case 'taken':
    case 'members':
    case 'nonmembers':
      if (link.args !== null) {
        r.error('E120', `${link.name} takes no arguments: ${ds}.${link.name}.`, link.range);
        return undefined;
      }
      return { op: link.name };
    case 'classes':
      return readClassesOp(ctx, ds, link, args);
    default:
      r.error(
        'E121',
        `Unknown subset "${link.name}" of dataset "${ds}".${didYouMean(link.name, SUBSET_OPS)}`,
        link.nameRange,
        'Use take(n), rest, taken, sample(n), classes([...]), or members and nonmembers (a CSV with a membership column).',
      );
      return undefined;
  }
}

function readClassesOp(ctx: ReadContext, ds: string, link: Link, args: readonly Expr[]): DataOp | undefined {
  const { r } = ctx;
  const list = link.args?.length === 1 ? r.list(args[0]!, 'The classes') : undefined;
  if (link.args?.length !== 1) {
    r.error('E120', `classes needs one argument, a list of class labels: ${ds}.classes([0, 1]).`, link.range);
    return undefined;
  }
  if (!list) return undefined;
  const classes = list.map((x) => r.number(x, 'A class label', { integer: true }));
  if (!classes.every((x): x is number => x !== undefined)) return undefined;
  return { op: 'classes', classes };
}

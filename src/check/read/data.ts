/** Data sources (`mnist`, `csv(..)`, `idx(..)`, `cifar10(..)`, `npy(..)`, `synthetic_purchase {..}`) and subsets. */
import type { Expr, Item, Range } from '../../lang/index.js';
import type { DataOp, DataRef, DatasetDef, DatasetSource, Normalization } from '../program.js';
import { callParts, params, type Param } from '../reader.js';
import { didYouMean } from '../suggest.js';
import type { ReadContext } from './context.js';

export const DATA_SOURCES = ['mnist', 'csv', 'idx', 'cifar10', 'npy', 'synthetic_purchase'] as const;
const NORMALIZATIONS = ['none', 'minmax', 'standard'] as const;
export const SUBSET_OPS = ['take', 'rest', 'taken', 'sample', 'classes'] as const;

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
  const what = `the data source ${c.name}`;
  const fields: Record<string, Range> = {};
  const str = (p: Map<string, Param>, k: string): string | undefined => {
    const e = r.required(p, k, `The dataset "${d.name}"`, c.range);
    if (!e) return undefined;
    fields[k] = e.value.range;
    return r.string(e.value, `The ${k} of dataset "${d.name}"`);
  };
  const norm = (p: Map<string, Param>, dflt: Normalization): Normalization | undefined => {
    const e = p.get('normalize');
    if (!e) return dflt;
    fields.normalize = e.value.range;
    return r.oneOf(e.value, 'normalization', NORMALIZATIONS);
  };
  const int = (p: Map<string, Param>, k: string, required: boolean): number | null | undefined => {
    const e = required ? r.required(p, k, `The dataset "${d.name}"`, c.range) : p.get(k);
    if (!e) return required ? undefined : null;
    fields[k] = e.value.range;
    return r.number(e.value, `The ${k} of dataset "${d.name}"`, { integer: true });
  };
  let source: DatasetSource | undefined;
  switch (c.name) {
    case 'mnist': {
      params(r, c, what, [], []);
      source = { kind: 'mnist' };
      break;
    }
    case 'csv': {
      const p = params(r, c, what, ['path'], ['label', 'missing', 'categorical', 'normalize']);
      const path = str(p, 'path');
      const label = str(p, 'label');
      const missingE = p.get('missing');
      const missing = missingE ? r.string(missingE.value, 'The missing-value marker') : null;
      let categorical: string[] | 'auto' | undefined = 'auto';
      const catE = p.get('categorical');
      if (catE) {
        fields.categorical = catE.value.range;
        if (catE.value.kind === 'ident' && catE.value.name === 'auto') categorical = 'auto';
        else {
          const items = r.list(catE.value, 'The categorical columns (or auto)');
          const names = items?.map((i) => r.string(i, 'A categorical column'));
          categorical = names?.every((n): n is string => n !== undefined) ? names : undefined;
        }
      }
      const normalize = norm(p, 'standard');
      if (
        path !== undefined &&
        label !== undefined &&
        missing !== undefined &&
        categorical !== undefined &&
        normalize
      ) {
        source = { kind: 'csv', path, label, missing, categorical, normalize };
      }
      break;
    }
    case 'idx':
    case 'npy': {
      const [a, b] = c.name === 'idx' ? (['images', 'labels'] as const) : (['features', 'labels'] as const);
      const p = params(r, c, what, [a, b], ['normalize']);
      const x = str(p, a);
      const y = str(p, b);
      const normalize = norm(p, c.name === 'idx' ? 'minmax' : 'standard');
      if (x !== undefined && y !== undefined && normalize) {
        source =
          c.name === 'idx'
            ? { kind: 'idx', images: x, labels: y, normalize }
            : { kind: 'npy', features: x, labels: y, normalize };
      }
      break;
    }
    case 'cifar10': {
      const p = params(r, c, what, ['dir'], ['normalize']);
      const dir = str(p, 'dir');
      const normalize = norm(p, 'minmax');
      if (dir !== undefined && normalize) source = { kind: 'cifar10', dir, normalize };
      break;
    }
    case 'synthetic_purchase': {
      const p = params(r, c, what, [], ['records', 'features', 'classes', 'seed']);
      const records = int(p, 'records', true);
      const features = int(p, 'features', true);
      const classes = int(p, 'classes', true);
      const seed = int(p, 'seed', false);
      if (
        typeof records === 'number' &&
        typeof features === 'number' &&
        typeof classes === 'number' &&
        seed !== undefined
      ) {
        source = { kind: 'synthetic_purchase', records, features, classes, seed };
      }
      break;
    }
    default:
      r.error(
        'E131',
        `Unknown data source "${c.name}".${didYouMean(c.name, DATA_SOURCES)}`,
        c.nameRange,
        `Use one of: ${DATA_SOURCES.join(', ')}.`,
      );
  }
  if (!source) return undefined;
  const def: DatasetDef = { name: d.name, source, file: r.file, range: d.range };
  loc.put(def, r.file, d.range, { name: d.nameRange, source: d.value.range, ...fields });
  return def;
}

/** `digits.take(10).rest` → base `digits` and the links [take(10), rest]. */
function subsetChain(e: Expr): {
  base: Expr;
  chain: { name: string; args: Expr[] | null; nameRange: Range; range: Range }[];
} {
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
    const args = link.args ?? [];
    fields[`ops.${i}`] = link.range;
    const count = (op: 'take' | 'sample'): number | undefined => {
      if (link.args === null || args.length !== 1) {
        r.error('E120', `${op} needs one argument, the number of records: ${ds}.${op}(1000).`, link.range);
        return undefined;
      }
      fields[`ops.${i}.n`] = args[0]!.range;
      return r.number(args[0]!, `The number of records to ${op}`, { integer: true });
    };
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
        const n = count(link.name);
        if (n === undefined) return undefined;
        ops.push({ op: link.name, n });
        break;
      }
      case 'rest':
      case 'taken':
        if (link.args !== null) {
          r.error('E120', `${link.name} takes no arguments: ${ds}.${link.name}.`, link.range);
          return undefined;
        }
        ops.push({ op: link.name });
        break;
      case 'classes': {
        const list = link.args?.length === 1 ? r.list(args[0]!, 'The classes') : undefined;
        if (link.args?.length !== 1) {
          r.error('E120', `classes needs one argument, a list of class labels: ${ds}.classes([0, 1]).`, link.range);
          return undefined;
        }
        if (!list) return undefined;
        const classes = list.map((x) => r.number(x, 'A class label', { integer: true }));
        if (!classes.every((x): x is number => x !== undefined)) return undefined;
        ops.push({ op: 'classes', classes });
        break;
      }
      default:
        r.error(
          'E121',
          `Unknown subset "${link.name}" of dataset "${ds}".${didYouMean(link.name, SUBSET_OPS)}`,
          link.nameRange,
          'Use take(n), rest, taken, sample(n) or classes([...]).',
        );
        return undefined;
    }
  }
  const ref: DataRef = { dataset: ds, ops, file: r.file, range: e.range };
  loc.put(ref, r.file, e.range, { dataset: base.range, ...fields });
  return ref;
}

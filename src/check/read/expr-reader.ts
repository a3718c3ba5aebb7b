/** Reading typed values out of AST expressions, reporting what is wrong as diagnostics. */
import type { Code } from '../../lang/codes.js';
import type { Arg, Block, Diagnostic, Entry, Expr, Range } from '../../lang/index.js';
import { clip } from '../../lang/index.js';
import { didYouMean } from '../../util/suggest.js';

export class Reader {
  readonly diagnostics: Diagnostic[] = [];
  /** The file whose declarations are being read (imports change it). */
  file: string;
  constructor(file: string) {
    this.file = file;
  }

  error(code: Code, message: string, range: Range, hint?: string, file = this.file): void {
    this.diagnostics.push({ code, severity: 'error', message, range, file, ...(hint ? { hint } : {}) });
  }

  warn(code: Code, message: string, range: Range, hint?: string, file = this.file): void {
    this.diagnostics.push({ code, severity: 'warning', message, range, file, ...(hint ? { hint } : {}) });
  }

  /** The entries of a block by key; reports unknown and repeated keys. */
  entries(block: Block, what: string, allowed: readonly string[]): Map<string, Entry> {
    const out = new Map<string, Entry>();
    for (const e of block.entries) {
      if (e.recovered) continue;
      if (!allowed.includes(e.key)) {
        this.error(
          'E101',
          `Unknown setting "${e.key}" in ${what}.${didYouMean(e.key, allowed)}`,
          e.keyRange,
          allowed.length ? `The settings of ${what} are: ${allowed.join(', ')}.` : `${what} takes no settings.`,
        );
        continue;
      }
      if (out.has(e.key)) {
        this.error('E102', `The setting "${e.key}" is given twice in ${what}.`, e.keyRange, 'Keep one of them.');
        continue;
      }
      out.set(e.key, e);
    }
    return out;
  }

  required<T>(map: Map<string, T>, key: string, what: string, range: Range): T | undefined {
    const e = map.get(key);
    if (e === undefined) this.error('E103', `${what} needs a "${key}" setting.`, range);
    return e;
  }

  /** A number (its range is judged by the rules, not here); `integer` insists on a whole number. */
  number(e: Expr, what: string, opts: { integer?: boolean; percent?: boolean } = {}): number | undefined {
    if (e.kind === 'percent' && opts.percent) return e.value;
    if (e.kind !== 'number') {
      this.error('E110', `${what} must be a number${opts.percent ? ' or a percentage' : ''}.`, e.range);
      return undefined;
    }
    const v = e.value;
    if (!Number.isFinite(v)) {
      this.error('E110', `${what} must be a finite number, not ${clip(e.raw)}.`, e.range);
      return undefined;
    }
    if (opts.integer && !Number.isInteger(v)) {
      this.error('E110', `${what} must be a whole number, not ${clip(e.raw)}.`, e.range);
      return undefined;
    }
    return v;
  }

  string(e: Expr, what: string): string | undefined {
    if (e.kind !== 'string') {
      this.error('E115', `${what} must be a string in double quotes.`, e.range);
      return undefined;
    }
    return e.value;
  }

  name(e: Expr, what: string): string | undefined {
    if (e.kind !== 'ident' || e.name === '') {
      this.error('E112', `${what} must be a name.`, e.range);
      return undefined;
    }
    return e.name;
  }

  oneOf<T extends string>(e: Expr, what: string, options: readonly T[]): T | undefined {
    const n = this.name(e, what);
    if (n === undefined) return undefined;
    if (!(options as readonly string[]).includes(n)) {
      this.error(
        'E113',
        `Unknown ${what} "${n}".${didYouMean(n, options)}`,
        e.range,
        `Use one of: ${options.join(', ')}.`,
      );
      return undefined;
    }
    return n as T;
  }

  boolean(e: Expr, what: string): boolean | undefined {
    const v = this.oneOf(e, what, ['true', 'false'] as const);
    return v === undefined ? undefined : v === 'true';
  }

  block(e: Expr, what: string): Block | undefined {
    if (e.kind === 'block') return e.block;
    this.error('E114', `${what} must be a block in braces, { ... }.`, e.range);
    return undefined;
  }

  list(e: Expr, what: string): Expr[] | undefined {
    if (e.kind === 'list') return e.items;
    this.error('E116', `${what} must be a list in brackets, [ ... ].`, e.range);
    return undefined;
  }
}

export interface CallParts {
  name: string;
  nameRange: Range;
  args: Arg[];
  block: Block | null;
  range: Range;
}

/** The callee name and arguments of `f(args) {block}`, `f {block}` or a bare `f`. */
export function callParts(e: Expr): CallParts | null {
  if (e.kind === 'ident' && e.name !== '')
    return { name: e.name, nameRange: e.range, args: [], block: null, range: e.range };
  if (e.kind === 'call' && e.callee.kind === 'ident')
    return { name: e.callee.name, nameRange: e.callee.range, args: e.args, block: e.block, range: e.range };
  return null;
}

export interface Param {
  value: Expr;
  keyRange: Range;
}

/**
 * The parameters of a call: positional arguments (in the order of `positional`), named arguments and
 * the entries of its block, merged into one map; reports unknown, repeated and surplus parameters.
 */
export function params(
  r: Reader,
  c: CallParts,
  what: string,
  positional: readonly string[],
  allowed: readonly string[],
): Map<string, Param> {
  const out = new Map<string, Param>();
  const all = [...new Set([...positional, ...allowed])];
  const add = (key: string, value: Expr, keyRange: Range): void => {
    if (!all.includes(key)) {
      r.error(
        'E101',
        `Unknown setting "${key}" in ${what}.${didYouMean(key, all)}`,
        keyRange,
        all.length ? `The settings of ${what} are: ${all.join(', ')}.` : `${what} takes no settings.`,
      );
      return;
    }
    if (out.has(key)) {
      r.error('E102', `The setting "${key}" is given twice in ${what}.`, keyRange, 'Keep one of them.');
      return;
    }
    out.set(key, { value, keyRange });
  };
  let i = 0;
  for (const a of c.args) {
    if (a.name !== null) {
      add(a.name, a.value, a.range);
      continue;
    }
    const key = positional[i++];
    if (key === undefined) {
      r.error(
        'E104',
        `${capitalize(what)} takes ${positional.length === 0 ? 'no' : `at most ${positional.length}`} positional argument${positional.length === 1 ? '' : 's'}${positional.length ? ` (${positional.join(', ')})` : ''}.`,
        a.range,
      );
      continue;
    }
    add(key, a.value, a.range);
  }
  if (c.block) for (const e of c.block.entries) if (!e.recovered) add(e.key, e.value, e.keyRange);
  return out;
}

export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

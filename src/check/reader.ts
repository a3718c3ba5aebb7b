/** Reading typed values out of AST expressions, reporting what is wrong as diagnostics. */
import type { Block, Diagnostic, Entry, Expr, Range } from '../lang/index.js';
import { didYouMean } from './suggest.js';

export class Reader {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly file: string) {}

  error(code: string, message: string, range: Range, hint?: string): void {
    this.diagnostics.push({ code, severity: 'error', message, range, file: this.file, ...(hint ? { hint } : {}) });
  }

  warn(code: string, message: string, range: Range, hint?: string): void {
    this.diagnostics.push({ code, severity: 'warning', message, range, file: this.file, ...(hint ? { hint } : {}) });
  }

  /** The entries of a block by key; reports unknown and repeated keys. */
  entries(block: Block, what: string, allowed: readonly string[]): Map<string, Entry> {
    const out = new Map<string, Entry>();
    for (const e of block.entries) {
      if (e.recovered) continue;
      if (!allowed.includes(e.key)) {
        this.error('E101', `Unknown setting "${e.key}" in ${what}.${didYouMean(e.key, allowed)}`, e.keyRange,
          `The settings of ${what} are: ${allowed.join(', ')}.`);
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

  required(map: Map<string, Entry>, key: string, what: string, range: Range): Entry | undefined {
    const e = map.get(key);
    if (!e) this.error('E103', `${what} needs a "${key}" setting.`, range);
    return e;
  }

  number(e: Expr, what: string, opts: { integer?: boolean; min?: number; minExclusive?: number; max?: number } = {}): number | undefined {
    if (e.kind !== 'number') {
      this.error('E110', `${what} must be a number.`, e.range);
      return undefined;
    }
    const v = e.value;
    if (!Number.isFinite(v)) { this.error('E111', `${what} must be a finite number, not ${e.raw}.`, e.range); return undefined; }
    if (opts.integer && !Number.isInteger(v)) { this.error('E111', `${what} must be a whole number, not ${e.raw}.`, e.range); return undefined; }
    if (opts.min !== undefined && v < opts.min) { this.error('E111', `${what} must be at least ${opts.min}, not ${e.raw}.`, e.range); return undefined; }
    if (opts.minExclusive !== undefined && v <= opts.minExclusive) { this.error('E111', `${what} must be greater than ${opts.minExclusive}, not ${e.raw}.`, e.range); return undefined; }
    if (opts.max !== undefined && v > opts.max) { this.error('E111', `${what} must be at most ${opts.max}, not ${e.raw}.`, e.range); return undefined; }
    return v;
  }

  name(e: Expr, what: string): string | undefined {
    if (e.kind !== 'ident' || e.name === '') { this.error('E112', `${what} must be a name.`, e.range); return undefined; }
    return e.name;
  }

  oneOf<T extends string>(e: Expr, what: string, options: readonly T[]): T | undefined {
    const n = this.name(e, what);
    if (n === undefined) return undefined;
    if (!(options as readonly string[]).includes(n)) {
      this.error('E113', `Unknown ${what} "${n}".${didYouMean(n, options)}`, e.range, `Use one of: ${options.join(', ')}.`);
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
}

/** The callee name and arguments of `f(args) {block}`, `f {block}` or a bare `f`. */
export function callParts(e: Expr): { name: string; nameRange: Range; args: Expr[]; named: Map<string, Expr>; block: Block | null } | null {
  if (e.kind === 'ident') return { name: e.name, nameRange: e.range, args: [], named: new Map(), block: null };
  if (e.kind === 'call' && e.callee.kind === 'ident') {
    const named = new Map<string, Expr>();
    const args: Expr[] = [];
    for (const a of e.args) { if (a.name === null) args.push(a.value); else named.set(a.name, a.value); }
    return { name: e.callee.name, nameRange: e.callee.range, args, named, block: e.block };
  }
  return null;
}

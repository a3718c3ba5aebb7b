/**
 * CST → AST. Tolerant of the holes that Chevrotain's error recovery leaves: a missing token gives a
 * placeholder and the enclosing item or entry is marked `recovered`, so later phases skip it.
 */
import type { CompareOp, Expectation } from './ast.js';
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Arg, Block, Entry, Expr, Item, Position, Range, SweepAxis } from './ast.js';
import type { Diagnostic } from './diagnostic.js';
import { MAX_CHAIN } from './nesting-limits.js';

const isToken = (e: CstElement): e is IToken => (e as IToken).image !== undefined;

const nodes = (n: CstNode, key: string): CstNode[] => (n.children[key] ?? []).filter((e): e is CstNode => !isToken(e));
const tokens = (n: CstNode, key: string): IToken[] =>
  (n.children[key] ?? []).filter(isToken).filter((t) => !t.isInsertedInRecovery);
const node = (n: CstNode, key: string): CstNode | undefined => nodes(n, key)[0];
const token = (n: CstNode, key: string): IToken | undefined => tokens(n, key)[0];

export function tokenRange(t: IToken): Range {
  return {
    start: { offset: t.startOffset, line: t.startLine ?? 1, column: t.startColumn ?? 1 },
    end: {
      offset: (t.endOffset ?? t.startOffset) + 1,
      line: t.endLine ?? t.startLine ?? 1,
      column: (t.endColumn ?? t.startColumn ?? 1) + 1,
    },
  };
}

function nodeRange(n: CstNode, fallback: Range): Range {
  const l = n.location;
  if (!l || Number.isNaN(l.startOffset)) return fallback;
  const start: Position = { offset: l.startOffset, line: l.startLine ?? 1, column: l.startColumn ?? 1 };
  const end: Position = Number.isNaN(l.endOffset ?? NaN)
    ? start
    : {
        offset: (l.endOffset ?? l.startOffset) + 1,
        line: l.endLine ?? start.line,
        column: (l.endColumn ?? start.column) + 1,
      };
  return { start, end };
}

/** Whether this node or any node below it was built by error recovery. */
function recoveredIn(n: CstNode): boolean {
  if (n.recoveredNode) return true;
  for (const key of Object.keys(n.children)) {
    for (const e of n.children[key]!) {
      if (isToken(e)) {
        if (e.isInsertedInRecovery) return true;
      } else if (recoveredIn(e)) return true;
    }
  }
  return false;
}

function offsetOf(e: CstElement): number {
  return isToken(e) ? e.startOffset : (e.location?.startOffset ?? Number.POSITIVE_INFINITY);
}

export function unquote(raw: string): string {
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw.slice(1, -1);
  }
}

export class AstBuilder {
  /** Errors found while building (a postfix chain too long to walk). */
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly whole: Range,
    private readonly file = '<input>',
  ) {}

  program(n: CstNode): Item[] {
    const out: Item[] = [];
    for (const it of nodes(n, 'item')) {
      const item = this.item(it);
      if (item) out.push(item);
    }
    return out;
  }

  private item(n: CstNode): Item | null {
    const decl = Object.values(n.children)
      .flat()
      .find((e): e is CstNode => !isToken(e));
    if (!decl) return null;
    const range = nodeRange(decl, this.whole);
    const recovered = recoveredIn(decl);
    const nameTok = token(decl, 'Identifier');
    const name = nameTok?.image ?? '';
    const nameRange = nameTok ? tokenRange(nameTok) : range;
    switch (decl.name) {
      case 'experimentDecl': {
        const b = node(decl, 'block');
        return { kind: 'experiment', name, nameRange, body: b ? this.block(b) : null, range, recovered };
      }
      case 'importDecl':
        return this.importItem(decl, range, recovered);
      case 'datasetDecl':
        return { kind: 'dataset', name, nameRange, value: this.declValue(decl, range), range, recovered };
      case 'modelDecl':
        return { kind: 'model', name, nameRange, body: this.declBody(decl, range), range, recovered };
      case 'targetDecl':
        return { kind: 'target', name, nameRange, value: this.targetValue(decl, range), range, recovered };
      case 'shadowsDecl':
        return { kind: 'shadows', name, nameRange, value: this.targetValue(decl, range), range, recovered };
      case 'attackDecl':
        return { kind: 'attack', name, nameRange, value: this.declValue(decl, range), range, recovered };
      case 'defenseDecl':
        return { kind: 'defense', name, nameRange, value: this.declValue(decl, range), range, recovered };
      case 'sweepDecl':
        return { kind: 'sweep', axes: nodes(decl, 'sweepAxis').map((a) => this.sweepAxis(a)), range, recovered };
      case 'reportDecl':
        return { kind: 'report', body: this.declBody(decl, range), range, recovered };
      case 'expectDecl': {
        const b = node(decl, 'expectBlock');
        return {
          kind: 'expect',
          body: b ? this.expectBlock(b) : { kind: 'expect', checks: [], range },
          range,
          recovered,
        };
      }
      default:
        return null;
    }
  }

  /** A declaration's block (empty when recovery left none). */
  private declBody(decl: CstNode, range: Range): Block {
    const b = node(decl, 'block');
    return b ? this.block(b) : { entries: [], range };
  }

  /** A declaration's expression (an empty name when recovery left none). */
  private declValue(decl: CstNode, range: Range): Expr {
    const e = node(decl, 'expr');
    return e ? this.expr(e) : { kind: 'ident', name: '', range };
  }

  /** A target (or a shadows declaration) is a block of settings or an expression. */
  private targetValue(decl: CstNode, range: Range): Expr {
    const b = node(decl, 'block');
    return b ? { kind: 'block', block: this.block(b), range: nodeRange(b, range) } : this.declValue(decl, range);
  }

  private importItem(decl: CstNode, range: Range, recovered: boolean): Item {
    const s = token(decl, 'StringLit');
    return { kind: 'import', path: s ? unquote(s.image) : '', pathRange: s ? tokenRange(s) : range, range, recovered };
  }

  private sweepAxis(n: CstNode): SweepAxis {
    const range = nodeRange(n, this.whole);
    const p = node(n, 'path');
    const names = p ? tokens(p, 'Name') : [];
    const pathRange = p ? nodeRange(p, range) : range;
    const e = node(n, 'expr');
    return {
      path: names.map((t) => t.image),
      pathRange,
      values: e ? this.expr(e) : { kind: 'list', items: [], range },
      range,
    };
  }

  block(n: CstNode): Block {
    const range = nodeRange(n, this.whole);
    return { entries: nodes(n, 'entry').map((e) => this.entry(e, range)), range };
  }

  private entry(n: CstNode, outer: Range): Entry {
    const range = nodeRange(n, outer);
    const eb = node(n, 'expectBlock');
    const kw = token(n, 'Expect');
    if (eb && kw) {
      const value = this.expectBlock(eb);
      return { key: 'expect', keyRange: tokenRange(kw), value, range, recovered: recoveredIn(n) };
    }
    const k = token(n, 'Name');
    const e = node(n, 'expr');
    return {
      key: k?.image ?? '',
      keyRange: k ? tokenRange(k) : range,
      value: e ? this.expr(e) : { kind: 'ident', name: '', range },
      range,
      recovered: recoveredIn(n) || !k || !e,
    };
  }

  expr(n: CstNode): Expr {
    const range = nodeRange(n, this.whole);
    const prims = nodes(n, 'primary');
    let cur: Expr = prims[0] ? this.primary(prims[0]) : { kind: 'ident', name: '', range };
    const postfixes = nodes(n, 'postfix');
    if (postfixes.length > MAX_CHAIN)
      this.diagnostics.push({
        code: 'E004',
        severity: 'error',
        file: this.file,
        message: `More than ${MAX_CHAIN} steps (.name, (…) or {…}) are chained on one value here; mia reads at most ${MAX_CHAIN}.`,
        range: nodeRange(postfixes[MAX_CHAIN]!, range),
        hint: 'Shorten the chain.',
      });
    for (const pf of postfixes.slice(0, MAX_CHAIN)) {
      const r: Range = { start: cur.range.start, end: nodeRange(pf, range).end };
      const dotName = token(pf, 'Name');
      const args = node(pf, 'callArgs');
      const blk = node(pf, 'block');
      if (dotName) {
        cur = { kind: 'member', object: cur, property: dotName.image, propertyRange: tokenRange(dotName), range: r };
      } else if (args) {
        cur = {
          kind: 'call',
          callee: cur,
          args: nodes(args, 'arg').map((a) => this.arg(a)),
          parens: true,
          block: null,
          range: r,
        };
      } else if (blk) {
        const block = this.block(blk);
        cur =
          cur.kind === 'call' && cur.block === null
            ? { ...cur, block, range: r }
            : { kind: 'call', callee: cur, args: [], parens: false, block, range: r };
      }
    }
    if (prims[1]) {
      const level = this.primary(prims[1]);
      cur = { kind: 'at', left: cur, level, range: { start: cur.range.start, end: level.range.end } };
    }
    return cur;
  }

  private expectBlock(n: CstNode): Extract<Expr, { kind: 'expect' }> {
    const range = nodeRange(n, this.whole);
    return { kind: 'expect', checks: nodes(n, 'expectation').map((e) => this.expectation(e, range)), range };
  }

  private expectation(n: CstNode, outer: Range): Expectation {
    const range = nodeRange(n, outer);
    const m = node(n, 'metricRef');
    const opNode = node(n, 'compareOp');
    const opTok = opNode ? Object.values(opNode.children).flat().find(isToken) : undefined;
    const b = node(n, 'primary');
    return {
      metric: m ? this.metricRef(m, range) : { kind: 'ident', name: '', range },
      op: (opTok?.image ?? '<') as CompareOp,
      opRange: opTok ? tokenRange(opTok) : range,
      bound: b ? this.primary(b) : { kind: 'ident', name: '', range },
      range,
      recovered: recoveredIn(n) || !m || !opTok || opTok.isInsertedInRecovery === true || !b,
    };
  }

  /** `a.b@1%.c` as nested member and `at` expressions, in source order. */
  private metricRef(n: CstNode, range: Range): Expr {
    const parts = Object.values(n.children)
      .flat()
      .filter((e) => !isToken(e) || !e.isInsertedInRecovery)
      .sort((a, b) => offsetOf(a) - offsetOf(b));
    let cur: Expr | null = null;
    let pendingAt = false;
    let inBracket = false;
    for (const p of parts) {
      if (isToken(p)) {
        const kind = p.tokenType.name;
        if (kind === 'Dot') continue;
        if (kind === 'At' || kind === 'LBracket' || kind === 'RBracket') {
          pendingAt ||= kind === 'At';
          inBracket = kind === 'LBracket';
          continue;
        }
        const r = tokenRange(p);
        if (inBracket && cur) {
          const key: Expr =
            kind === 'StringLit'
              ? { kind: 'string', value: unquote(p.image), range: r }
              : { kind: 'ident', name: p.image, range: r };
          cur = { kind: 'index', object: cur, key, range: { start: cur.range.start, end: r.end } };
          inBracket = false;
          continue;
        }
        cur = cur
          ? {
              kind: 'member',
              object: cur,
              property: p.image,
              propertyRange: r,
              range: { start: cur.range.start, end: r.end },
            }
          : { kind: 'ident', name: p.image, range: r };
      } else if (pendingAt && cur) {
        const level = this.primary(p);
        cur = { kind: 'at', left: cur, level, range: { start: cur.range.start, end: level.range.end } };
        pendingAt = false;
      }
    }
    return cur ?? { kind: 'ident', name: '', range };
  }

  private arg(n: CstNode): Arg {
    const range = nodeRange(n, this.whole);
    const name = token(n, 'Name');
    const e = node(n, 'expr');
    return { name: name?.image ?? null, value: e ? this.expr(e) : { kind: 'ident', name: '', range }, range };
  }

  private primary(n: CstNode): Expr {
    const range = nodeRange(n, this.whole);
    const num = token(n, 'NumberLit');
    if (num) {
      const pct = token(n, 'Percent');
      const v = Number(num.image);
      return pct
        ? { kind: 'percent', value: v / 100, raw: num.image, range }
        : { kind: 'number', value: v, raw: num.image, range };
    }
    const str = token(n, 'StringLit');
    if (str) return { kind: 'string', value: unquote(str.image), range };
    const name = token(n, 'Name');
    if (name) return { kind: 'ident', name: name.image, range };
    const list = node(n, 'list');
    if (list) return { kind: 'list', items: nodes(list, 'expr').map((e) => this.expr(e)), range };
    const blk = node(n, 'block');
    if (blk) return { kind: 'block', block: this.block(blk), range };
    return { kind: 'ident', name: '', range };
  }
}

/**
 * print: AST → canonical `.mia` text (what `mia fmt` writes). One layout, decided by the tree and its
 * comments alone:
 * - items one per line; a blank line between items unless both are one line, of the same kind, and
 *   the second has no comment above it;
 * - a declaration body (`model m { ... }`) writes `key value`, an expression block
 *   (`threshold { signal: loss }`) writes `key: value`;
 * - a block, list or sweep stays on one line when it fits in 100 columns, holds no comment and (for
 *   a declaration body) no nested block; otherwise one entry per line, indented by two spaces, and
 *   the values of a declaration body are aligned;
 * - comments stay with the item or entry they are attached to (see comments.ts).
 */
import type { Block, Comment, Entry, Expr, Item, Program, SweepAxis } from './ast.js';
import { attachComments, blocksIn, type CommentMap } from './comments.js';
import { metricText } from './metric-ref.js';

const WIDTH = 100;
const IND = '  ';

export function print(program: Program): string {
  const p = new Printer(attachComments(program));
  return p.program(program);
}

/** Strings are written as JSON strings, which the lexer reads back unchanged. */
export const quote = (s: string): string => JSON.stringify(s);

class Printer {
  /** One-line forms, memoised: trying the one-line layout first stays linear in nested lists and blocks. */
  private readonly flats = new WeakMap<object, string | null>();

  constructor(private readonly cm: CommentMap) {}

  /** The one-line form of an expression, or null when a comment inside it forces lines. */
  private flat(e: Expr): string | null {
    if (this.flats.has(e)) return this.flats.get(e)!;
    const all = (xs: (string | null)[]): string[] | null => (xs.some((x) => x === null) ? null : (xs as string[]));
    const of = (): string | null => {
      switch (e.kind) {
        case 'member': {
          const o = this.flat(e.object);
          return o === null ? null : `${o}.${e.property}`;
        }
        case 'at': {
          const [l, v] = [this.flat(e.left), this.flat(e.level)];
          return l === null || v === null ? null : `${l}@${v}`;
        }
        case 'call': {
          const callee = this.flat(e.callee);
          const args = all(e.args.map((a) => this.flat(a.value)));
          const block = e.block ? this.flatBlock(e.block, true) : '';
          if (callee === null || args === null || block === null) return null;
          const named = args.map((v, i) => (e.args[i]!.name === null ? '' : `${e.args[i]!.name}: `) + v);
          return `${callee}${e.parens ? `(${named.join(', ')})` : ''}${e.block ? ` ${block}` : ''}`;
        }
        case 'list': {
          const items = all(e.items.map((i) => this.flat(i)));
          return items === null ? null : `[${items.join(', ')}]`;
        }
        case 'block':
          return this.flatBlock(e.block, true);
        default:
          return this.expr(e, '', 0);
      }
    };
    const f = of();
    this.flats.set(e, f);
    return f;
  }

  /** The one-line form of a block, or null when it must take lines (a comment, a nested declaration body). */
  private flatBlock(b: Block, colon: boolean): string | null {
    if (b.entries.length === 0 && this.cm.danglingIn(b).length === 0) return '{}';
    if (this.cm.hasAny(b) || (!colon && b.entries.some((e) => blocksIn(e.value).length > 0))) return null;
    const entries = b.entries.map((e) => {
      const v = this.flat(e.value);
      return v === null ? null : `${e.key}${colon ? ':' : ''} ${v}`;
    });
    return entries.some((x) => x === null) ? null : `{ ${entries.join(', ')} }`;
  }

  program(prog: Program): string {
    const out: string[] = [];
    let prev: { item: Item; oneLine: boolean } | null = null;
    for (const item of prog.items) {
      const text = this.item(item);
      const a = this.cm.of(item);
      const oneLine = !text.includes('\n');
      if (prev && (a.leading.length > 0 || !prev.oneLine || !oneLine || prev.item.kind !== item.kind)) out.push('');
      for (const c of a.leading) out.push(c.text);
      out.push(text + trailing(a.trailing));
      prev = { item, oneLine };
    }
    const dangling = this.cm.danglingIn(prog);
    if (dangling.length) {
      if (out.length) out.push('');
      for (const c of dangling) out.push(c.text);
    }
    return out.length ? `${out.join('\n')}\n` : '';
  }

  item(it: Item): string {
    switch (it.kind) {
      case 'experiment': {
        const head = `experiment ${it.name}`;
        return it.body ? `${head} ${this.block(it.body, '', head.length + 1, false)}` : head;
      }
      case 'import':
        return `import ${quote(it.path)}`;
      case 'dataset':
      case 'attack':
      case 'defense': {
        const head = `${it.kind} ${it.name} = `;
        return head + this.expr(it.value, '', head.length);
      }
      case 'target':
      case 'shadows': {
        if (it.value.kind === 'block') {
          const head = `${it.kind} ${it.name} `;
          return head + this.block(it.value.block, '', head.length, false);
        }
        const head = `${it.kind} ${it.name} = `;
        return head + this.expr(it.value, '', head.length);
      }
      case 'model': {
        const head = `${it.kind} ${it.name} `;
        return head + this.block(it.body, '', head.length, false);
      }
      case 'report':
        return `report ${this.block(it.body, '', 7, false)}`;
      case 'expect':
        return `expect ${this.expect(it.body, '', 7)}`;
      case 'sweep':
        return this.sweep(it.axes);
    }
  }

  private sweep(axes: SweepAxis[]): string {
    if (axes.length === 0) return 'sweep {}';
    const commented = axes.some((a) => this.cm.hasAny(a));
    if (!commented) {
      const flat = `sweep { ${axes.map((a) => this.axis(a, IND)).join('; ')} }`;
      if (!flat.includes('\n') && flat.length <= WIDTH) return flat;
    }
    const lines = ['sweep {'];
    for (const a of axes) {
      const c = this.cm.of(a);
      for (const l of c.leading) lines.push(IND + l.text);
      lines.push(IND + this.axis(a, IND) + trailing(c.trailing));
    }
    lines.push('}');
    return lines.join('\n');
  }

  private axis(a: SweepAxis, indent: string): string {
    const head = `${a.path.join('.')} in `;
    return head + this.expr(a.values, indent, indent.length + head.length);
  }

  /**
   * A block at the given indent, starting at column `col` of its line. `colon`: an expression block
   * (`key: value`) rather than a declaration body (`key value`).
   */
  block(b: Block, indent: string, col: number, colon: boolean): string {
    if (b.entries.length === 0 && this.cm.danglingIn(b).length === 0) return '{}';
    const flat = this.flatBlock(b, colon);
    if (flat !== null && col + flat.length <= WIDTH) return flat;
    const inner = indent + IND;
    const pad = colon ? 0 : Math.max(...b.entries.map((e) => e.key.length));
    const lines = ['{'];
    for (const e of b.entries) {
      const c = this.cm.of(e);
      for (const l of c.leading) lines.push(inner + l.text);
      lines.push(inner + this.entry(e, inner, colon, pad) + trailing(c.trailing));
    }
    for (const l of this.cm.danglingIn(b)) lines.push(inner + l.text);
    lines.push(`${indent}}`);
    return lines.join('\n');
  }

  private entry(e: Entry, indent: string, colon: boolean, pad: number): string {
    // `expect {` opens comparisons, so any other value of a key named expect keeps its colon.
    const plain = colon || (e.key === 'expect' && e.value.kind !== 'expect');
    const head = plain ? `${e.key}: `.padEnd(colon ? 0 : pad + 1) : `${e.key.padEnd(pad)} `;
    return head + this.expr(e.value, indent, indent.length + head.length);
  }

  expr(e: Expr, indent: string, col: number): string {
    switch (e.kind) {
      case 'number':
        return e.raw;
      case 'percent':
        return `${e.raw}%`;
      case 'string':
        return quote(e.value);
      case 'ident':
        return e.name;
      case 'member':
        return `${this.expr(e.object, indent, col)}.${e.property}`;
      case 'at':
        return `${this.expr(e.left, indent, col)}@${this.expr(e.level, indent, col)}`;
      case 'index':
        return `${this.expr(e.object, indent, col)}[${this.expr(e.key, indent, col)}]`;
      case 'call': {
        let s = this.expr(e.callee, indent, col);
        if (e.parens)
          s += `(${e.args.map((a) => (a.name === null ? '' : `${a.name}: `) + this.expr(a.value, indent, col)).join(', ')})`;
        if (e.block) s += ` ${this.block(e.block, indent, col + lastLineLength(s) + 1, true)}`;
        return s;
      }
      case 'list': {
        const flat = this.flat(e);
        if (flat !== null && col + flat.length <= WIDTH) return flat;
        const inner = indent + IND;
        return `[\n${e.items.map((i) => inner + this.expr(i, inner, inner.length)).join(',\n')}\n${indent}]`;
      }
      case 'block':
        return this.block(e.block, indent, col, true);
      case 'expect':
        return this.expect(e, indent, col);
    }
  }

  /** An expect block: comparisons on one line when they fit, else one per line. */
  private expect(e: Extract<Expr, { kind: 'expect' }>, indent: string, col: number): string {
    if (e.checks.length === 0) return '{}';
    const text = (x: Expr): string => this.expr(x, '', 0);
    const checks = e.checks.map((c) => `${metricText(c.metric, text) ?? text(c.metric)} ${c.op} ${text(c.bound)}`);
    const flat = `{ ${checks.join(', ')} }`;
    if (!e.checks.some((c) => this.cm.hasAny(c)) && col + flat.length <= WIDTH) return flat;
    const inner = indent + IND;
    const lines = ['{'];
    e.checks.forEach((c, i) => {
      const a = this.cm.of(c);
      for (const l of a.leading) lines.push(inner + l.text);
      lines.push(inner + checks[i] + trailing(a.trailing));
    });
    lines.push(`${indent}}`);
    return lines.join('\n');
  }
}

function trailing(cs: Comment[]): string {
  return cs.map((c) => `  ${c.text}`).join('');
}

function lastLineLength(s: string): number {
  const i = s.lastIndexOf('\n');
  return i < 0 ? s.length : s.length - i - 1;
}

/**
 * Comments for `mia fmt`: each comment is attached to the nearest item, entry or sweep axis by position.
 * A comment on the line where a node ends trails it; one above a node leads it; one inside a node but
 * in no block of it (say, inside a list) leads that node; one after the last entry of a block dangles
 * at the end of that block. Printing puts each where the next parse attaches it again (idempotence).
 */
import type { Block, Comment, Entry, Expectation, Expr, Item, Program, SweepAxis } from './ast.js';

export type Anchor = Item | Entry | SweepAxis | Expectation;

export interface Attached {
  leading: Comment[];
  trailing: Comment[];
}

export class CommentMap {
  private readonly byNode = new Map<Anchor, Attached>();
  private readonly dangling = new Map<Block | Program, Comment[]>();

  of(n: Anchor): Attached {
    let a = this.byNode.get(n);
    if (!a) {
      a = { leading: [], trailing: [] };
      this.byNode.set(n, a);
    }
    return a;
  }

  danglingIn(b: Block | Program): Comment[] {
    let d = this.dangling.get(b);
    if (!d) {
      d = [];
      this.dangling.set(b, d);
    }
    return d;
  }

  /** Whether any comment is attached to this block, its entries, or anything below them. */
  hasAny(n: Anchor | Block): boolean {
    if ('entries' in n && !('kind' in n)) return this.danglingIn(n).length > 0 || n.entries.some((e) => this.hasAny(e));
    const a = this.byNode.get(n as Anchor);
    if (a && (a.leading.length || a.trailing.length)) return true;
    return blocksOfAnchor(n as Anchor).some((b) => this.hasAny(b)) || checksOf(n as Anchor).some((c) => this.hasAny(c));
  }
}

/** The blocks an expression holds directly or through calls, lists, members and arguments. */
export function blocksIn(e: Expr): Block[] {
  switch (e.kind) {
    case 'block':
      return [e.block];
    case 'call':
      return [...blocksIn(e.callee), ...e.args.flatMap((a) => blocksIn(a.value)), ...(e.block ? [e.block] : [])];
    case 'list':
      return e.items.flatMap(blocksIn);
    case 'member':
      return blocksIn(e.object);
    case 'at':
      return [...blocksIn(e.left), ...blocksIn(e.level)];
    default:
      return [];
  }
}

/** The comparisons of an `expect { ... }` entry or declaration (comments attach to each of them). */
export function checksOf(n: Anchor): Expectation[] {
  if ('key' in n) return n.value.kind === 'expect' ? n.value.checks : [];
  if ('kind' in n && n.kind === 'expect') return n.body.checks;
  return [];
}

export function blocksOfAnchor(n: Anchor): Block[] {
  if ('metric' in n) return [];
  if ('key' in n) return blocksIn(n.value);
  if ('path' in n && 'values' in n) return blocksIn(n.values);
  const it = n as Item;
  switch (it.kind) {
    case 'experiment':
      return it.body ? [it.body] : [];
    case 'model':
    case 'report':
      return [it.body];
    case 'dataset':
    case 'target':
    case 'shadows':
    case 'attack':
    case 'defense':
      return blocksIn(it.value);
    case 'import':
    case 'sweep':
    case 'expect':
      return [];
  }
}

function childrenOf(n: Anchor): { blocks: Block[]; axes: readonly Anchor[] } {
  if ('kind' in n && n.kind === 'sweep') return { blocks: [], axes: n.axes };
  const checks = checksOf(n);
  if (checks.length) return { blocks: [], axes: checks };
  return { blocks: blocksOfAnchor(n), axes: [] };
}

export function attachComments(program: Program): CommentMap {
  const map = new CommentMap();
  for (const c of program.comments) place(map, c, program.items, program);
  return map;
}

function place(map: CommentMap, c: Comment, seq: readonly Anchor[], container: Block | Program | Anchor): void {
  const at = c.range.start.offset;
  const inside = seq.find((n) => n.range.start.offset <= at && at < n.range.end.offset);
  if (inside) {
    descend(map, c, inside);
    return;
  }
  let prev: Anchor | undefined;
  for (const n of seq) if (n.range.end.offset <= at) prev = n;
  if (prev && prev.range.end.line === c.range.start.line) {
    map.of(prev).trailing.push(c);
    return;
  }
  const next = seq.find((n) => n.range.start.offset >= c.range.end.offset);
  if (next) {
    map.of(next).leading.push(c);
    return;
  }
  if ('entries' in container && !('kind' in container)) map.danglingIn(container).push(c);
  else if ('items' in container) map.danglingIn(container).push(c);
  else if (prev) map.of(prev).trailing.push(c);
  else map.of(container as Anchor).leading.push(c);
}

function descend(map: CommentMap, c: Comment, n: Anchor): void {
  const at = c.range.start.offset;
  const { blocks, axes } = childrenOf(n);
  if (axes.length || ('kind' in n && n.kind === 'sweep')) {
    // Inside a sweep (or an expect block): attach to its axes (comparisons); after the last it trails the last one.
    if (axes.length === 0) {
      map.of(n).leading.push(c);
      return;
    }
    place(map, c, axes, n);
    return;
  }
  const b = blocks.find((x) => x.range.start.offset < at && at < x.range.end.offset);
  if (b) place(map, c, b.entries, b);
  else map.of(n).leading.push(c);
}

/**
 * Bounds that keep every phase total on hostile input: the parser and every tree walker recurse once
 * per nesting level, so nesting is cut at MAX_DEPTH (with one located error) before parsing; a flood of
 * syntax errors is cut at MAX_DIAGNOSTICS per file; long text in a message is clipped.
 */
import type { IToken } from 'chevrotain';
import type { Diagnostic } from './diagnostic.js';

/**
 * Brackets, parentheses and blocks nested deeper than this are an error (real specs nest about 5). Chevrotain's
 * error recovery recurses several frames per level, and more on a process's first parse: 100 levels of `a {` in a
 * list overflowed the stack there, 64 leave room.
 */
export const MAX_DEPTH = 64;
/** Postfix steps (`.take(1)`, `(…)`, `{…}`) chained on one value; each is one level of the tree. */
export const MAX_CHAIN = 100;
/** Syntax errors shown per file; the rest are counted in one last diagnostic. */
export const MAX_DIAGNOSTICS = 50;

const OPENERS = new Set(['LBrace', 'LBracket', 'LParen']);
const CLOSERS = new Set(['RBrace', 'RBracket', 'RParen']);

/** Text for a message: at most `max` characters, then `…`. */
export function clip(text: string, max = 20): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * The tokens with everything nested deeper than MAX_DEPTH left out (the parser never sees it), and the
 * first opener that goes too deep.
 */
export function limitDepth(tokens: IToken[]): { tokens: IToken[]; tooDeep: IToken | null } {
  let depth = 0;
  let skipped = 0; // nesting inside the part left out
  let first: IToken | null = null;
  const kept: IToken[] = [];
  for (const t of tokens) {
    const name = t.tokenType.name;
    if (skipped > 0) {
      if (OPENERS.has(name)) skipped++;
      else if (CLOSERS.has(name)) skipped--;
      continue;
    }
    if (OPENERS.has(name)) {
      if (depth >= MAX_DEPTH) {
        first ??= t;
        skipped = 1;
        continue;
      }
      depth++;
    } else if (CLOSERS.has(name) && depth > 0) depth--;
    kept.push(t);
  }
  return first ? { tokens: kept, tooDeep: first } : { tokens, tooDeep: null };
}

/** At most MAX_DIAGNOSTICS (less `reserved` shown besides), then one that says how many more there were. */
export function capDiagnostics(ds: Diagnostic[], file: string, reserved = 0): Diagnostic[] {
  const room = Math.max(1, MAX_DIAGNOSTICS - reserved);
  if (ds.length <= room) return ds;
  const shown = ds.slice(0, room);
  const more = ds.length - room;
  const last = shown[shown.length - 1]!;
  shown.push({
    code: 'E009',
    severity: 'error',
    file,
    message: `${more} more syntax error${more === 1 ? '' : 's'} in this file not shown (${ds.length} in all).`,
    range: { start: last.range.end, end: last.range.end },
    hint: 'Fix the first errors and check again; later ones often follow from them.',
  });
  return shown;
}

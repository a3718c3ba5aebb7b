/** parse: source text → AST and diagnostics. Total: any string gives a value, never a throw. */
import type { ILexingResult, IRecognitionException, IToken } from 'chevrotain';
import type { Comment, Position, Program, Range } from './ast.js';
import { AstBuilder, tokenRange } from './build-ast.js';
import type { Diagnostic, Result } from './diagnostic.js';
import { miaParser } from './grammar-parser.js';
import { capDiagnostics, clip, limitDepth, MAX_DEPTH } from './nesting-limits.js';
import { miaLexer } from './tokens.js';

function endPosition(source: string): Position {
  const lines = source.split('\n');
  return { offset: source.length, line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

function describeToken(t: IToken): string {
  if (t.tokenType.name === 'EOF') return 'the end of the file';
  return `"${clip(t.image, t.tokenType.name === 'NumberLit' ? 20 : 30)}"`;
}

function parserMessage(e: IRecognitionException): string {
  const found = describeToken(e.token);
  const name = e.name;
  if (name === 'MismatchedTokenException') {
    const m = /Expecting token of type --> (.*?) <--/.exec(e.message) ?? /Expecting --> (.*?) <--/.exec(e.message);
    const expected = m ? m[1]! : 'something else';
    return `Expected ${expected} but found ${found}.`;
  }
  if (name === 'NotAllInputParsedException')
    return `Unexpected ${found}: expected a declaration (experiment, import, dataset, model, target, shadows, attack, defense, sweep, report or expect).`;
  if (name === 'NoViableAltException' && e.context.ruleStack.at(-1) === 'item') {
    return `Unexpected ${found}: expected a declaration (experiment, import, dataset, model, target, shadows, attack, defense, sweep, report or expect).`;
  }
  if (name === 'NoViableAltException' && e.context.ruleStack.at(-1) === 'primary') {
    return `Expected a value (a number, string, name, list or block) but found ${found}.`;
  }
  return `Unexpected ${found} here.`;
}

function lexerDiagnostics(lexed: ILexingResult, source: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of lexed.groups.unterminated ?? []) {
    const comment = t.tokenType.name === 'UnclosedComment';
    const start = tokenRange(t).start;
    out.push({
      code: 'E005',
      severity: 'error',
      file,
      message: comment ? 'Unclosed comment: this /* has no */ after it.' : 'Unterminated string starting here.',
      range: {
        start,
        end: { ...start, offset: start.offset + (comment ? 2 : 1), column: start.column + (comment ? 2 : 1) },
      },
      hint: comment ? 'Close it with */.' : 'Close it with " on the same line (write \\" for a quote inside it).',
    });
  }
  for (const err of lexed.errors) {
    const start: Position = { offset: err.offset, line: err.line ?? 1, column: err.column ?? 1 };
    const ch = source.slice(err.offset, err.offset + err.length);
    out.push({
      code: 'E001',
      severity: 'error',
      file,
      message: `Unexpected character ${JSON.stringify(ch.slice(0, 10))}${codePoints(ch.slice(0, 10))}.`,
      range: {
        start,
        end: { ...start, offset: start.offset + err.length, column: start.column + Math.max(1, err.length) },
      },
      hint: 'Remove it, or put text in double quotes.',
    });
  }
  return out;
}

/**
 * The code points of what is not printable ASCII, as " (U+043E)": a Cyrillic о looks like o, a zero-width
 * space like nothing; the number tells them apart.
 */
function codePoints(text: string): string {
  const odd = [...text].filter((c) => c < ' ' || c > '~');
  return odd.length
    ? ` (${odd.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')}; names are ASCII letters, digits and _)`
    : '';
}

/**
 * The CST of the tokens. The nesting limit keeps the parser's recursion bounded; should the stack still run out,
 * the file is refused as too deeply nested (one located error) instead of the parse throwing.
 */
function parseTokens(tokens: IToken[], limits: Diagnostic[], file: string, whole: Range) {
  miaParser.input = tokens;
  try {
    return miaParser.program();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    miaParser.input = [];
    limits.push({
      code: 'E004',
      severity: 'error',
      file,
      message: 'Brackets, parentheses and blocks nest too deeply here for mia to read the file.',
      range: { start: whole.start, end: whole.start },
      hint: 'Flatten the nesting.',
    });
    return undefined;
  }
}

export function parse(source: string, file = '<input>'): Result<Program> {
  const whole: Range = { start: { offset: 0, line: 1, column: 1 }, end: endPosition(source) };
  const lexed = miaLexer.tokenize(source);
  const diagnostics: Diagnostic[] = lexerDiagnostics(lexed, source, file);
  const limits: Diagnostic[] = []; // always shown, whatever the number of other errors
  const comments: Comment[] = (lexed.groups.comments ?? []).map((t) => ({ text: t.image, range: tokenRange(t) }));
  const limited = limitDepth(lexed.tokens);
  if (limited.tooDeep)
    limits.push({
      code: 'E004',
      severity: 'error',
      file,
      message: `Brackets, parentheses and blocks nest deeper than ${MAX_DEPTH} levels here; mia reads at most ${MAX_DEPTH}.`,
      range: tokenRange(limited.tooDeep),
      hint: 'Flatten the nesting; what is nested deeper than this is not read.',
    });
  const cst = parseTokens(limited.tokens, limits, file, whole);
  for (const e of miaParser.errors) {
    const t = e.token;
    const range =
      t.tokenType.name === 'EOF' || Number.isNaN(t.startOffset) ? { start: whole.end, end: whole.end } : tokenRange(t);
    diagnostics.push({ code: 'E002', severity: 'error', file, message: parserMessage(e), range });
  }
  const builder = new AstBuilder(whole, file);
  const items = cst ? builder.program(cst) : [];
  limits.push(...builder.diagnostics);
  const at = (d: Diagnostic): number => (d.code === 'E009' ? Number.POSITIVE_INFINITY : d.range.start.offset);
  const byOffset = (a: Diagnostic, b: Diagnostic): number => at(a) - at(b); // "N more errors" last
  const shown = [...limits, ...capDiagnostics(diagnostics.sort(byOffset), file, limits.length)].sort(byOffset);
  const recovered = shown.length > 0;
  return { value: { items, comments, range: whole, ...(recovered ? { recovered } : {}) }, diagnostics: shown };
}

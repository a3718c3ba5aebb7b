/** parse: source text → AST and diagnostics. Total: any string gives a value, never a throw. */
import type { IRecognitionException, IToken } from 'chevrotain';
import type { Comment, Position, Program, Range } from './ast.js';
import { AstBuilder, tokenRange } from './build-ast.js';
import type { Diagnostic, Result } from './diagnostic.js';
import { miaParser } from './grammar-parser.js';
import { miaLexer } from './tokens.js';

function endPosition(source: string): Position {
  const lines = source.split('\n');
  return { offset: source.length, line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

function describeToken(t: IToken): string {
  if (t.tokenType.name === 'EOF') return 'the end of the file';
  return `"${t.image.length > 30 ? `${t.image.slice(0, 30)}…` : t.image}"`;
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

export function parse(source: string, file = '<input>'): Result<Program> {
  const whole: Range = { start: { offset: 0, line: 1, column: 1 }, end: endPosition(source) };
  const diagnostics: Diagnostic[] = [];
  const lexed = miaLexer.tokenize(source);
  for (const err of lexed.errors) {
    const start: Position = { offset: err.offset, line: err.line ?? 1, column: err.column ?? 1 };
    const ch = source.slice(err.offset, err.offset + err.length);
    diagnostics.push({
      code: 'E001',
      severity: 'error',
      file,
      message: `Unexpected character ${JSON.stringify(ch.slice(0, 10))}.`,
      range: {
        start,
        end: { ...start, offset: start.offset + err.length, column: start.column + Math.max(1, err.length) },
      },
      hint: 'Remove it, or put text in double quotes.',
    });
  }
  const comments: Comment[] = (lexed.groups.comments ?? []).map((t) => ({ text: t.image, range: tokenRange(t) }));
  miaParser.input = lexed.tokens;
  const cst = miaParser.program();
  for (const e of miaParser.errors) {
    const t = e.token;
    const range =
      t.tokenType.name === 'EOF' || Number.isNaN(t.startOffset) ? { start: whole.end, end: whole.end } : tokenRange(t);
    diagnostics.push({ code: 'E002', severity: 'error', file, message: parserMessage(e), range });
  }
  const items = cst ? new AstBuilder(whole).program(cst) : [];
  return { value: { items, comments, range: whole }, diagnostics };
}

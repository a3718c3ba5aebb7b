/**
 * The TextMate grammar: the committed file is what the generator makes from the tokens and the kinds, every
 * lexer token has a scope, and every example in experiments/ is coloured without an unscoped or invalid
 * character, each token in the scope of its lexer token (a number as a number, a keyword as a keyword, ...).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, type IGrammar, Registry } from 'vscode-textmate';
import { miaLexer } from '../../src/lang/tokens.js';
import { grammarJson, unscopedTokens } from '../../scripts/textmate-grammar.js';

const root = join(import.meta.dirname, '..', '..');
const committed = join(root, 'grammar', 'mia.tmLanguage.json');

let grammar: IGrammar;
beforeAll(async () => {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (s: string[]) => new oniguruma.OnigScanner(s),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => JSON.parse(readFileSync(committed, 'utf8')),
  });
  grammar = (await registry.loadGrammar('source.mia'))!;
});

/** The scopes of every character of `text` (by offset; whitespace and newlines too). */
function scopesOf(text: string): string[][] {
  const out: string[][] = [];
  let state = INITIAL;
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    const row: string[][] = Array.from({ length: line.length }, () => ['source.mia']);
    for (const t of r.tokens) for (let i = t.startIndex; i < Math.min(t.endIndex, line.length); i++) row[i] = t.scopes;
    out.push(...row, ['source.mia']);
    state = r.ruleStack;
  }
  return out;
}

/** The characters of `text` that are not whitespace and have no scope of the grammar, or an invalid one. */
function unscoped(text: string): string[] {
  const scopes = scopesOf(text);
  const problems: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (/\s/.test(text[i]!)) continue;
    const s = scopes[i] ?? [];
    if (s.length < 2 || s.some((x) => x.startsWith('invalid')))
      problems.push(`${JSON.stringify(text.slice(i, i + 12))} at ${i}: ${s.join(' ')}`);
  }
  return problems;
}

/** What scope a lexer token's first character must have. */
const EXPECTED: Record<string, RegExp> = {
  LineComment: /^comment\./,
  BlockComment: /^comment\./,
  NumberLit: /^constant\.numeric\./,
  StringLit: /^string\./,
  Identifier: /^(variable|support|constant\.language)\./,
  Keyword: /^keyword\.control\./,
  Punctuation: /^(punctuation|keyword\.operator|keyword\.other)\./,
};

// Spec files only: a run leaves a cache folder named .mia beside them.
const examples = readdirSync(join(root, 'experiments'), { withFileTypes: true })
  .filter((f) => f.isFile() && f.name.endsWith('.mia'))
  .map((f) => join(root, 'experiments', f.name));

describe('the TextMate grammar', () => {
  it('is the one generated from the tokens and the kinds (npm run textmate)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(grammarJson());
    expect(unscopedTokens()).toEqual([]);
  });

  it('leaves what the lexer refuses unscoped or invalid, so the check above can fail', () => {
    expect(unscoped('attack a = threshold { signal: loss } $ #')).toHaveLength(2);
    expect(unscoped('dataset d = csv("unclosed')).toHaveLength('"unclosed'.length);
    expect(unscoped('report { metrics [tpr@0.1%, auc] } // fine\n/* and\nthis */')).toEqual([]);
  });

  it.each(examples)('colours every character of %s, each token as the lexer reads it', (file) => {
    const text = readFileSync(file, 'utf8');
    const scopes = scopesOf(text);
    const problems = unscoped(text);
    const lexed = miaLexer.tokenize(text);
    for (const t of [...lexed.tokens, ...(lexed.groups.comments ?? [])]) {
      const n = t.tokenType.name;
      const kind =
        n === 'Identifier' || n.endsWith('Comment') || n === 'NumberLit' || n === 'StringLit'
          ? n
          : /^[a-z]/.test(t.image)
            ? 'Keyword'
            : 'Punctuation';
      const inner = (scopes[t.startOffset] ?? []).at(-1) ?? '';
      if (!EXPECTED[kind]!.test(inner)) problems.push(`${n} ${JSON.stringify(t.image)} at ${t.startOffset}: ${inner}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSyntaxDiagramsCode, type IProduction, type Rule as GRule, type TokenType } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { miaParser } from '../../src/lang/grammar-parser.js';

const root = join(import.meta.dirname, '..', '..');

type Refs = { rules: Set<string>; terminals: Set<string> };

/** The rules of grammar/mia.ebnf (lower-case names are parser rules) and what each references. */
function ebnfRules(): Map<string, Refs> {
  const text = readFileSync(join(root, 'grammar', 'mia.ebnf'), 'utf8').replace(/\(\*[\s\S]*?\*\)/g, '');
  const out = new Map<string, Refs>();
  let cur: Refs | null = null;
  for (const line of text.split('\n')) {
    const def = /^([A-Za-z]\w*)\s*::=(.*)$/.exec(line);
    let rhs: string;
    if (def) {
      cur = /^[a-z]/.test(def[1]!) ? { rules: new Set(), terminals: new Set() } : null;
      if (cur) out.set(def[1]!, cur);
      rhs = def[2]!;
    } else rhs = line;
    if (!cur) continue;
    for (const m of rhs.matchAll(/'([^']*)'|([A-Za-z]\w*)/g)) {
      if (m[1] !== undefined) cur.terminals.add(`'${m[1]}'`);
      else if (/^[a-z]/.test(m[2]!)) cur.rules.add(m[2]!);
      else cur.terminals.add(m[2]!);
    }
  }
  return out;
}

const terminalKey = (t: TokenType): string =>
  typeof t.LABEL === 'string' && t.LABEL.startsWith("'") ? t.LABEL : t.name;

function walk(ps: IProduction[], into: Refs): void {
  for (const p of ps) {
    const x = p as IProduction & {
      terminalType?: TokenType;
      separator?: TokenType;
      nonTerminalName?: string;
      definition?: IProduction[];
    };
    if (x.separator) into.terminals.add(terminalKey(x.separator)); // MANY_SEP / AT_LEAST_ONE_SEP
    if (x.terminalType) into.terminals.add(terminalKey(x.terminalType));
    if (x.nonTerminalName) {
      into.rules.add(x.nonTerminalName);
      continue;
    } // its definition is the other rule's
    if (x.definition) walk(x.definition, into);
  }
}

function parserRules(): Map<string, Refs> {
  const out = new Map<string, Refs>();
  for (const [name, rule] of Object.entries(miaParser.getGAstProductions()) as [string, GRule][]) {
    const refs: Refs = { rules: new Set(), terminals: new Set() };
    walk(rule.definition, refs);
    out.set(name, refs);
  }
  return out;
}

const sorted = (m: Map<string, Refs>): Record<string, { rules: string[]; terminals: string[] }> =>
  Object.fromEntries(
    [...m]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, { rules: [...v.rules].sort(), terminals: [...v.terminals].sort() }]),
  );

describe('grammar/mia.ebnf', () => {
  it('names the same rules as the parser, each referencing the same rules and terminals', () => {
    expect(sorted(ebnfRules())).toEqual(sorted(parserRules()));
  });

  it('notices a rule the reference lacks', () => {
    const e = ebnfRules();
    e.delete('sweepAxis');
    expect(sorted(e)).not.toEqual(sorted(parserRules()));
  });

  it('the syntax diagrams are generated from the parser (npm run grammar writes them; not in git)', () => {
    const html = createSyntaxDiagramsCode(miaParser.getSerializedGastProductions());
    for (const rule of parserRules().keys()) expect(html).toContain(rule);
  });
});

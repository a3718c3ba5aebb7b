/** The tokens of the `.mia` language. Keywords are also names, so `model` can be a block key. */
import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n\r]*/, group: 'comments' });
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: 'comments',
  line_breaks: true,
});

/** A `/*` never closed: it runs to the end of the file; reported as such, never parsed. */
export const UnclosedComment = createToken({
  name: 'UnclosedComment',
  pattern: /\/\*[\s\S]*/,
  group: 'unterminated',
  line_breaks: true,
});

/** Every word token (identifiers and keywords) belongs to this category. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA });
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [Name] });

const keyword = (word: string): TokenType =>
  createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(`${word}\\b`),
    longer_alt: Identifier,
    categories: [Name],
    label: `'${word}'`,
  });

export const Experiment = keyword('experiment');
export const Import = keyword('import');
export const Dataset = keyword('dataset');
export const Model = keyword('model');
export const Target = keyword('target');
export const Shadows = keyword('shadows');
export const Attack = keyword('attack');
export const Defense = keyword('defense');
export const Sweep = keyword('sweep');
export const Report = keyword('report');
export const In = keyword('in');
export const Expect = keyword('expect');

export const NumberLit = createToken({
  name: 'NumberLit',
  pattern: /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/,
  label: 'a number',
});
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n\r]|\\.)*"/, label: 'a string' });
/** A string with no closing quote on its line: reported as such, never parsed. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\n\r]|\\.)*/,
  group: 'unterminated',
});
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, label: "';'" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });
export const At = createToken({ name: 'At', pattern: /@/, label: "'@'" });
export const Percent = createToken({ name: 'Percent', pattern: /%/, label: "'%'" });
export const LessEq = createToken({ name: 'LessEq', pattern: /<=/, label: "'<='" });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: />=/, label: "'>='" });
export const Less = createToken({ name: 'Less', pattern: /</, label: "'<'" });
export const Greater = createToken({ name: 'Greater', pattern: />/, label: "'>'" });

export const keywords = [
  Experiment,
  Import,
  Dataset,
  Model,
  Target,
  Shadows,
  Attack,
  Defense,
  Sweep,
  Report,
  In,
  Expect,
];

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnclosedComment,
  ...keywords,
  Name,
  Identifier,
  NumberLit,
  StringLit,
  UnterminatedString,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Comma,
  Semicolon,
  Colon,
  Equals,
  Dot,
  At,
  Percent,
  LessEq,
  GreaterEq,
  Less,
  Greater,
];

export const miaLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });

/**
 * The abstract syntax tree of a `.mia` file. Every node carries its source range; the language is
 * generic at this level (declarations holding blocks of `key value` entries and expressions), and the
 * checker gives each declaration kind its meaning.
 */

export interface Position {
  offset: number;
  line: number;
  column: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export type Expr =
  | { kind: 'number'; value: number; raw: string; range: Range }
  | { kind: 'percent'; value: number; raw: string; range: Range } // value is a fraction: 1% -> 0.01
  | { kind: 'string'; value: string; range: Range }
  | { kind: 'ident'; name: string; range: Range }
  | { kind: 'member'; object: Expr; property: string; propertyRange: Range; range: Range }
  | { kind: 'call'; callee: Expr; args: Arg[]; parens: boolean; block: Block | null; range: Range }
  | { kind: 'list'; items: Expr[]; range: Range }
  | { kind: 'block'; block: Block; range: Range }
  | { kind: 'at'; left: Expr; level: Expr; range: Range } // tpr@1%
  | { kind: 'index'; object: Expr; key: Expr; range: Range } // lira[class], lira["sex"]: an expectation's slices
  | { kind: 'expect'; checks: Expectation[]; range: Range }; // expect { loss.auc < 0.6 }, a report entry

export type CompareOp = '<' | '<=' | '>' | '>=';

/** `lira.tpr@0.1% < 2%`: a reported metric (members and `@` levels), a comparison, a bound. */
export interface Expectation {
  metric: Expr;
  op: CompareOp;
  opRange: Range;
  bound: Expr;
  range: Range;
  recovered: boolean;
}

/** A call argument: positional (`dense(128)`) or named (`adam(rate: 0.001)`). */
export interface Arg {
  name: string | null;
  value: Expr;
  range: Range;
}

export interface Entry {
  key: string;
  keyRange: Range;
  value: Expr;
  range: Range;
  recovered: boolean;
}

export interface Block {
  entries: Entry[];
  range: Range;
}

export interface SweepAxis {
  path: string[];
  pathRange: Range;
  values: Expr;
  range: Range;
}

export type Item =
  | { kind: 'experiment'; name: string; nameRange: Range; body: Block | null; range: Range; recovered: boolean }
  | { kind: 'import'; path: string; pathRange: Range; range: Range; recovered: boolean }
  | { kind: 'dataset'; name: string; nameRange: Range; value: Expr; range: Range; recovered: boolean }
  | { kind: 'model'; name: string; nameRange: Range; body: Block; range: Range; recovered: boolean }
  | { kind: 'target'; name: string; nameRange: Range; value: Expr; range: Range; recovered: boolean }
  /** A block (models mia trains from a declared architecture) or a source call, as `onnx_models("refs/*.onnx") { ... }`. */
  | { kind: 'shadows'; name: string; nameRange: Range; value: Expr; range: Range; recovered: boolean }
  | { kind: 'attack'; name: string; nameRange: Range; value: Expr; range: Range; recovered: boolean }
  | { kind: 'defense'; name: string; nameRange: Range; value: Expr; range: Range; recovered: boolean }
  | { kind: 'sweep'; axes: SweepAxis[]; range: Range; recovered: boolean }
  | { kind: 'report'; body: Block; range: Range; recovered: boolean }
  | { kind: 'expect'; body: Extract<Expr, { kind: 'expect' }>; range: Range; recovered: boolean };

export interface Comment {
  text: string;
  range: Range;
}

export interface Program {
  items: Item[];
  comments: Comment[];
  range: Range;
  /** Set when the parser reported errors (and so had to recover): later phases skip whole-file checks. */
  recovered?: boolean;
}

export const emptyRange: Range = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

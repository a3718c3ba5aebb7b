import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyRange,
  parse,
  print,
  stripRanges,
  type Arg,
  type Block,
  type CompareOp,
  type Entry,
  type Expectation,
  type Expr,
  type Item,
  type Program,
} from '../../src/lang/index.js';

const root = join(import.meta.dirname, '..', '..');
const specs = [
  ...readdirSync(join(root, 'experiments')).map((f) => join(root, 'experiments', f)),
  join(root, 'test', 'fixtures', 'tiny.mia'),
].filter((f) => /[^/]\.mia$/.test(f) && !f.split('/').pop()!.startsWith('.'));

const R = emptyRange;
const KEYWORDS = new Set([
  'experiment',
  'import',
  'dataset',
  'model',
  'target',
  'shadows',
  'attack',
  'defense',
  'sweep',
  'report',
  'in',
  'expect',
]);
const ident = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/).filter((s) => !KEYWORDS.has(s));
const key = fc.oneof(ident, fc.constantFrom('model', 'in', 'report', 'expect'));
const numRaw = fc.oneof(
  fc.nat({ max: 100000 }).map(String),
  fc.double({ min: 0, max: 1000, noNaN: true }).map((d) => String(d)),
  fc.integer({ min: -50, max: -1 }).map(String),
);

const { expr } = fc.letrec<{ expr: Expr; block: Block }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numRaw.map((raw): Expr => ({ kind: 'number', value: Number(raw), raw, range: R })),
    numRaw.map((raw): Expr => ({ kind: 'percent', value: Number(raw) / 100, raw, range: R })),
    fc.string({ maxLength: 8 }).map((value): Expr => ({ kind: 'string', value, range: R })),
    ident.map((name): Expr => ({ kind: 'ident', name, range: R })),
    fc.tuple(ident, fc.array(ident, { minLength: 1, maxLength: 2 })).map(
      ([o, ps]): Expr =>
        ps.reduce<Expr>((acc, p) => ({ kind: 'member', object: acc, property: p, propertyRange: R, range: R }), {
          kind: 'ident',
          name: o,
          range: R,
        }),
    ),
    fc
      .tuple(
        ident,
        fc.array(fc.tuple(fc.option(ident), tie('expr') as fc.Arbitrary<Expr>), { maxLength: 3 }),
        fc.option(tie('block') as fc.Arbitrary<Block>),
      )
      .map(
        ([f, args, block]): Expr => ({
          kind: 'call',
          callee: { kind: 'ident', name: f, range: R },
          args: args.map(([name, value]): Arg => ({ name, value, range: R })),
          parens: true,
          block,
          range: R,
        }),
      ),
    fc.tuple(ident, tie('block') as fc.Arbitrary<Block>).map(
      ([f, block]): Expr => ({
        kind: 'call',
        callee: { kind: 'ident', name: f, range: R },
        args: [],
        parens: false,
        block,
        range: R,
      }),
    ),
    fc
      .array(tie('expr') as fc.Arbitrary<Expr>, { maxLength: 4 })
      .map((items): Expr => ({ kind: 'list', items, range: R })),
    (tie('block') as fc.Arbitrary<Block>).map((block): Expr => ({ kind: 'block', block, range: R })),
    numRaw.map(
      (raw): Expr => ({
        kind: 'at',
        left: { kind: 'ident', name: 'tpr', range: R },
        level: { kind: 'percent', value: Number(raw) / 100, raw, range: R },
        range: R,
      }),
    ),
  ),
  block: fc.array(fc.tuple(key, tie('expr') as fc.Arbitrary<Expr>), { maxLength: 4 }).map(
    (es): Block => ({
      entries: es.map(([k, value]): Entry => ({ key: k, keyRange: R, value, range: R, recovered: false })),
      range: R,
    }),
  ),
}));
/** `expect { a.b@1%.c < 2% ... }`: metric paths of names with percent levels, numeric bounds. */
const expectation: fc.Arbitrary<Expectation> = fc
  .tuple(
    ident,
    fc.array(fc.tuple(ident, fc.option(numRaw)), { minLength: 1, maxLength: 3 }),
    fc.constantFrom<CompareOp>('<', '<=', '>', '>='),
    numRaw,
    fc.boolean(),
  )
  .map(([subject, parts, op, raw, percent]) => ({
    metric: parts.reduce<Expr>(
      (acc, [p, level]) => {
        const m: Expr = { kind: 'member', object: acc, property: p, propertyRange: R, range: R };
        return level === null
          ? m
          : {
              kind: 'at',
              left: m,
              level: { kind: 'percent', value: Number(level) / 100, raw: level, range: R },
              range: R,
            };
      },
      { kind: 'ident', name: subject, range: R },
    ),
    op,
    opRange: R,
    bound: percent
      ? { kind: 'percent', value: Number(raw) / 100, raw, range: R }
      : { kind: 'number', value: Number(raw), raw, range: R },
    range: R,
    recovered: false,
  }));
const expectExpr = fc
  .array(expectation, { maxLength: 8 })
  .map((checks): Extract<Expr, { kind: 'expect' }> => ({ kind: 'expect', checks, range: R }));

const block = expr.filter((e): e is Extract<Expr, { kind: 'block' }> => e.kind === 'block').map((e) => e.block);
const anyBlock: fc.Arbitrary<Block> = fc.array(fc.tuple(key, expr), { maxLength: 4 }).map((es) => ({
  entries: es.map(([k, value]) => ({ key: k, keyRange: R, value, range: R, recovered: false })),
  range: R,
}));
void block;

const item: fc.Arbitrary<Item> = fc.oneof(
  fc
    .tuple(ident, fc.option(anyBlock))
    .map(([name, body]): Item => ({ kind: 'experiment', name, nameRange: R, body, range: R, recovered: false })),
  fc
    .string({ maxLength: 10 })
    .map((path): Item => ({ kind: 'import', path, pathRange: R, range: R, recovered: false })),
  fc
    .tuple(
      fc.constantFrom('dataset', 'attack', 'defense', 'target', 'shadows'),
      ident,
      expr.filter((e) => e.kind !== 'block'),
    )
    .map(([kind, name, value]) => ({ kind, name, nameRange: R, value, range: R, recovered: false }) as Item),
  fc.tuple(fc.constantFrom('target', 'shadows'), ident, anyBlock).map(
    ([kind, name, b]): Item => ({
      kind,
      name,
      nameRange: R,
      value: { kind: 'block', block: b, range: R },
      range: R,
      recovered: false,
    }),
  ),
  fc
    .tuple(ident, anyBlock)
    .map(([name, body]): Item => ({ kind: 'model', name, nameRange: R, body, range: R, recovered: false })),
  anyBlock.map((body): Item => ({ kind: 'report', body, range: R, recovered: false })),
  fc.tuple(anyBlock, expectExpr, fc.nat()).map(([b, value, at]): Item => {
    const entries = [...b.entries];
    entries.splice(at % (entries.length + 1), 0, { key: 'expect', keyRange: R, value, range: R, recovered: false });
    return { kind: 'report', body: { entries, range: R }, range: R, recovered: false };
  }),
  expectExpr.map((body): Item => ({ kind: 'expect', body, range: R, recovered: false })),
  fc.array(fc.tuple(fc.array(key, { minLength: 1, maxLength: 3 }), expr), { maxLength: 3 }).map(
    (axes): Item => ({
      kind: 'sweep',
      axes: axes.map(([path, values]) => ({ path, pathRange: R, values, range: R })),
      range: R,
      recovered: false,
    }),
  ),
);
const program: fc.Arbitrary<Program> = fc
  .array(item, { maxLength: 6 })
  .map((items) => ({ items, comments: [], range: R }));

describe('print (mia fmt)', () => {
  it('round trip: parse(print(ast)) equals ast without ranges, for generated ASTs', () => {
    fc.assert(
      fc.property(program, (ast) => {
        const text = print(ast);
        const back = parse(text, 'gen.mia');
        expect(back.diagnostics).toEqual([]);
        expect(stripRanges(back.value.items)).toEqual(stripRanges(ast.items));
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent on generated programs and on every example spec, and keeps every comment', () => {
    fc.assert(
      fc.property(program, (ast) => {
        const once = print(ast);
        expect(print(parse(once).value)).toBe(once);
      }),
      { numRuns: 200 },
    );
    for (const f of specs) {
      const src = readFileSync(f, 'utf8');
      const parsed = parse(src, f);
      const once = print(parsed.value);
      const again = parse(once, f);
      expect(print(again.value)).toBe(once);
      expect(again.value.comments.map((c) => c.text).sort()).toEqual(parsed.value.comments.map((c) => c.text).sort());
      expect(stripRanges(again.value.items)).toEqual(stripRanges(parsed.value.items));
    }
  });

  it('finds every example in experiments/ already in the canonical layout (mia fmt --check passes on them)', () => {
    const examples = specs.filter((f) => f.includes('/experiments/'));
    expect(examples.length).toBeGreaterThan(5);
    for (const f of examples) expect(print(parse(readFileSync(f, 'utf8')).value), f).toBe(readFileSync(f, 'utf8'));
  });

  it('lays out the quickstart canonically, comments in place', () => {
    const src =
      'experiment q { seed 7 }   // pinned\n// the data\ndataset d=mnist\nmodel m {layers [dense(1)]\n // how\n train {epochs:1}}\n';
    expect(print(parse(src).value)).toBe(
      [
        'experiment q { seed 7 }  // pinned',
        '',
        '// the data',
        'dataset d = mnist',
        '',
        'model m {',
        '  layers [dense(1)]',
        '  // how',
        '  train  { epochs: 1 }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps comments inside lists and at the end of blocks and files', () => {
    const src =
      'model m {\n  layers [dense(1), // first\n  dense(2)]\n  train { epochs: 1 }\n  // end of model\n}\n/* tail */\n';
    const out = print(parse(src).value);
    expect(out).toBe(
      'model m {\n  // first\n  layers [dense(1), dense(2)]\n  train  { epochs: 1 }\n  // end of model\n}\n\n/* tail */\n',
    );
    expect(print(parse(out).value)).toBe(out);
  });
});

import { describe, expect, it } from 'vitest';
import { parse, print, stripRanges } from '../../src/lang/index.js';

describe('expect { ... } syntax', () => {
  it('reads comparisons on metric paths with levels and intervals, in a report entry and as a declaration', () => {
    const src =
      'report { metrics [auc], expect { lira.tpr@0.1% < 2%, rmia.auc.ci.upper <= 0.7 } }\n' +
      'expect { lira.tpr@1%.ci.lower > 0; victim.test_accuracy >= 85% }\n';
    const { value, diagnostics } = parse(src, 'f.mia');
    expect(diagnostics).toEqual([]);
    const [rep, decl] = value.items;
    expect(rep!.kind).toBe('report');
    const entry = rep!.kind === 'report' ? rep!.body.entries[1]! : null;
    expect(entry!.key).toBe('expect');
    expect(entry!.value.kind).toBe('expect');
    const checks = entry!.value.kind === 'expect' ? entry!.value.checks : [];
    expect(stripRanges(checks[0])).toEqual({
      metric: {
        kind: 'at',
        left: { kind: 'member', object: { kind: 'ident', name: 'lira' }, property: 'tpr' },
        level: { kind: 'percent', value: 0.001, raw: '0.1' },
      },
      op: '<',
      bound: { kind: 'percent', value: 0.02, raw: '2' },
    });
    expect(checks[0]!.opRange.start).toMatchObject({ line: 1, column: 48 });
    expect(decl!.kind).toBe('expect');
    const d = decl!.kind === 'expect' ? decl!.body.checks : [];
    expect(d.map((c) => c.op)).toEqual(['>', '>=']);
    const ci = d[0]!.metric;
    expect(ci.kind === 'member' && ci.property).toBe('lower');
  });

  it('keeps expect usable as an ordinary key when no block follows, and prints it back the same', () => {
    const src = 'model m { expect 3, other: { expect: { a: 1 } } }\n';
    const { value, diagnostics } = parse(src);
    expect(diagnostics).toEqual([]);
    const out = print(value);
    expect(stripRanges(parse(out).value.items)).toEqual(stripRanges(value.items));
  });

  it('reports a missing bound or operator at its place and marks the comparison recovered', () => {
    const { value, diagnostics } = parse('expect { loss.auc < }\nexpect { loss.auc 0.5 }\n', 'f.mia');
    expect(diagnostics.map((x) => [x.code, x.range.start.line, x.range.start.column])).toEqual([
      ['E002', 1, 21],
      ['E002', 2, 19],
    ]);
    expect(diagnostics[0]!.message).toContain('Expected a value');
    const first = value.items[0];
    expect(first?.kind === 'expect' && first.body.checks[0]?.recovered).toBe(true);
  });

  it('lays out long expect blocks one comparison per line', () => {
    const checks = Array.from({ length: 6 }, (_, i) => `attack_${i}.tpr@0.1% < ${i + 1}%`);
    const out = print(parse(`report { expect { ${checks.join(', ')} } }`).value);
    expect(out).toBe(`report {\n  expect {\n${checks.map((c) => `    ${c}`).join('\n')}\n  }\n}\n`);
    expect(print(parse(out).value)).toBe(out);
  });
});

describe('comments in expect blocks (mia fmt)', () => {
  it('keeps a comment with the comparison it belongs to, and is idempotent', () => {
    const src = `report {
  metrics [auc, tpr@0.1%]
  expect {
    // leakage
    lira.tpr@0.1% < 2%            // on this draw
    lira.tpr@0.1%.ci.upper < 2%   // with 95% confidence
    victim.test_accuracy >= 85%
    /* the end */
  }
}
expect { a.auc < 1 /* x */, b.auc < 2 }
`;
    const out = print(parse(src).value);
    expect(out).toBe(`report {
  metrics [auc, tpr@0.1%]
  expect  {
    // leakage
    lira.tpr@0.1% < 2%  // on this draw
    lira.tpr@0.1%.ci.upper < 2%  // with 95% confidence
    victim.test_accuracy >= 85%  /* the end */
  }
}

expect {
  a.auc < 1  /* x */
  b.auc < 2
}
`);
    expect(print(parse(out).value)).toBe(out);
  });
});

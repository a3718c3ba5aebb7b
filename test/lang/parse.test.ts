import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, type Expr } from '../../src/lang/index.js';

const root = join(import.meta.dirname, '..', '..');

describe('parser (quickstart subset)', () => {
  it('parses the quickstart into declarations with source ranges', () => {
    const src = readFileSync(join(root, 'experiments', 'quickstart.mia'), 'utf8');
    const { value, diagnostics } = parse(src, 'quickstart.mia');
    expect(diagnostics).toEqual([]);
    expect(value.items.map((i) => i.kind)).toEqual([
      'experiment',
      'dataset',
      'model',
      'target',
      'shadows',
      'attack',
      'attack',
      'attack',
      'attack',
      'report',
    ]);
    const exp = value.items[0]!;
    expect(exp.kind === 'experiment' && exp.name).toBe('quickstart');
    const ds = value.items[1]!;
    expect(ds.kind).toBe('dataset');
    if (ds.kind === 'dataset') {
      expect(ds.nameRange.start).toMatchObject({ line: 5, column: 9 });
      expect(ds.value).toMatchObject({ kind: 'ident', name: 'mnist' });
    }
    expect(value.comments.length).toBeGreaterThan(3);
  });

  it('reads calls, members, lists, percentages and tpr@ levels', () => {
    const { value, diagnostics } = parse('report { metrics [auc, tpr@0.1%], x: digits.take(10), o: adam(rate: 0.01) }');
    expect(diagnostics).toEqual([]);
    const r = value.items[0]!;
    if (r.kind !== 'report') throw new Error('expected a report');
    const [metrics, x, o] = r.body.entries.map((e) => e.value);
    const tpr = (metrics as Extract<Expr, { kind: 'list' }>).items[1]!;
    expect(tpr).toMatchObject({
      kind: 'at',
      left: { kind: 'ident', name: 'tpr' },
      level: { kind: 'percent', value: 0.001 },
    });
    expect(x).toMatchObject({
      kind: 'call',
      callee: { kind: 'member', property: 'take', object: { kind: 'ident', name: 'digits' } },
      args: [{ name: null, value: { kind: 'number', value: 10 } }],
    });
    expect(o).toMatchObject({ kind: 'call', args: [{ name: 'rate', value: { kind: 'number', value: 0.01 } }] });
  });

  it('reports syntax errors with positions and keeps going', () => {
    const { value, diagnostics } = parse(
      'experiment x { seed 7 }\nmodel m { layers [dense(1,] }\ndataset d = mnist\n',
      'f.mia',
    );
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]!.range.start).toMatchObject({ line: 2, column: 27 });
    expect(diagnostics[0]!.message).toContain('Expected a value');
    expect(value.items.some((i) => i.kind === 'dataset' && !i.recovered)).toBe(true);
  });

  it('reports a stray character', () => {
    const { diagnostics } = parse('experiment x { seed 7 } $', 'f.mia');
    expect(diagnostics[0]).toMatchObject({ code: 'E001', range: { start: { line: 1, column: 25 } } });
  });
});

/**
 * Names read from files reach the terminal on the line mia meant: a CSV cell quoted across a line break, a
 * bidi override or an escape sequence in a slice value, a diagnostic whose message quotes such a name. Each
 * is shown escaped (`\n`, `\u202e`, `\u001b`), so no value can start a line that looks like mia's own
 * ("mia: ...") or break the slices table's columns.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/lang/diagnostic.js';
import type { RunResult } from '../../src/report/results.js';
import { slicesLines } from '../../src/report/slices-table.js';

const HOSTILE = ['a\nmia: fake line', '\u202eevil', '\u001b[31mred', 'tab\there', 'plain'];

/** One attack sliced by column "grp" into the hostile values, each with the same metrics. */
function run(): RunResult {
  const metrics = {
    auc: 0.6,
    tprAtFpr: { '0.1': 0.2 },
    ci: { auc: [0.5, 0.7], tprAtFpr: { '0.1': [0.1, 0.3] } },
  };
  const slices = HOSTILE.map((value) => ({ by: 'grp', value, members: 20, nonMembers: 20, metrics, reason: null }));
  const attack = { name: 'loss', metrics, slices, worstSlice: { by: 'grp', value: HOSTILE[0], auc: 0.6 } };
  return { attacks: [attack], report: { metrics: ['auc', 'tpr@10%'] } } as unknown as RunResult;
}

describe('slice values on the terminal', () => {
  it('one table row per slice, every row as wide as the header, the values escaped', () => {
    const lines = slicesLines(run())
      .flatMap((l) => l.split('\n'))
      .filter((l) => l !== '');
    expect(lines[0]).toBe('slices: the one that leaks most is grp = a\\nmia: fake line, to loss (AUC 0.600)');
    const rows = lines.filter((l) => l.startsWith('grp = '));
    expect(rows).toHaveLength(HOSTILE.length);
    expect(lines.some((l) => l.startsWith('mia:'))).toBe(false);
    expect(rows.map((r) => r.slice(0, 'grp = '.length + 17).trimEnd())).toEqual([
      'grp = a\\nmia: fake line',
      'grp = \\u202eevil',
      'grp = \\u001b[31mred',
      'grp = tab\\there',
      'grp = plain',
    ]);
    const header = lines.find((l) => l.startsWith('slice '))!;
    for (const r of rows) expect(r.length).toBe(header.length);
  });
});

describe('diagnostics quoting a name with a line break', () => {
  it('keep the message and the help on one line each', () => {
    const d = {
      file: 's.mia',
      range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 5, offset: 4 } },
      severity: 'error' as const,
      code: 'E418' as const,
      message: 'The model\'s input "x\nmia: all good" takes 12 features.',
      hint: 'Export it\r\nagain.',
    };
    const out = formatDiagnostic(d, 'shadows refs = onnx_models("a.onnx") { in: "in.npy" }\n').split('\n');
    expect(out[0]).toBe('s.mia:1:1: error[E418]: The model\'s input "x\\nmia: all good" takes 12 features.');
    expect(out.at(-1)).toBe('  = help: Export it\\r\\nagain.');
    expect(out).toHaveLength(5);
  });
});

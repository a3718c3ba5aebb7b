import { describe, expect, it } from 'vitest';
import { loadSource } from '../../src/cli/load.js';
import { displayWidth, formatDiagnostic, parse, print, stripRanges } from '../../src/lang/index.js';
import { MAX_DEPTH, MAX_DIAGNOSTICS } from '../../src/lang/nesting-limits.js';
import { everyPhase } from './every-phase.js';
import { BASE } from '../check/helpers.js';

describe('nesting depth', () => {
  it('100,000 unclosed [ and { give a located depth error, not a stack overflow', () => {
    for (const open of ['[', '{']) {
      const src = `experiment e { seed 1 }\nreport { metrics ${open.repeat(100_000)} }\n`;
      const { diagnostics } = everyPhase(src);
      const deep = diagnostics.find((d) => d.code === 'E004');
      expect(deep?.message).toContain(`deeper than ${MAX_DEPTH}`);
      expect(deep?.range.start.line).toBe(2);
      expect(deep?.range.start.column).toBe(17 + MAX_DEPTH); // report's { is level 1;
      expect(diagnostics.length).toBeLessThanOrEqual(MAX_DIAGNOSTICS + 1);
    }
  });

  it('100,000 balanced brackets and a 20,000-step chain are read to the limit', () => {
    const lists = `experiment e { seed 1 }\nreport { metrics ${'['.repeat(100_000)}${']'.repeat(100_000)} }\n`;
    expect(everyPhase(lists).diagnostics.filter((d) => d.code === 'E004')).toHaveLength(1);
    const chain = `experiment e { seed 1 }\ndataset d = mnist${'.x'.repeat(20_000)}\n`;
    const parsed = everyPhase(chain);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['E004']);
    expect(parsed.diagnostics[0]!.message).toContain('chained');
  });

  it('nesting within the limit parses, prints and checks as before', () => {
    const n = MAX_DEPTH - 2;
    const src = `experiment e { seed 1 }\nreport { metrics ${'['.repeat(n)}auc${']'.repeat(n)} }\n`;
    const parsed = everyPhase(src);
    expect(parsed.diagnostics).toEqual([]);
    expect(stripRanges(parse(print(parsed.value)).value)).toEqual(stripRanges(parsed.value));
  });
});

describe('syntax-error diagnostics', () => {
  it('5,000 unclosed ( give at most 50 errors and say how many more', () => {
    const src = `experiment e { seed 1 }\ndataset d = f${'('.repeat(5000)}\n`;
    const { diagnostics } = parse(src, 'p.mia');
    expect(diagnostics.length).toBe(MAX_DIAGNOSTICS + 1);
    expect(diagnostics.at(-1)!.message).toMatch(/^\d+ more syntax errors in this file not shown \(\d+ in all\)\.$/);
  });

  it('a long number is clipped in the message, a long line around the caret', () => {
    const digits = '9'.repeat(5000);
    const src = `experiment e { seed 1 }\nreport { metrics [auc] } ${digits}\n`;
    const { diagnostics } = parse(src, 'n.mia');
    const d = diagnostics[0]!;
    expect(d.message).toContain(`"${'9'.repeat(20)}…"`);
    expect(d.message.length).toBeLessThan(200);
    const frame = formatDiagnostic(d, src).split('\n');
    for (const line of frame) expect(line.length).toBeLessThan(200);
    const [code, caret] = [frame[2]!, frame[3]!];
    expect(code[caret.indexOf('^')]).toBe('9');
  });

  it('the checker clips a long number it quotes', () => {
    const src = BASE.replace('seed 1', `seed ${'1'.repeat(400)}`);
    const d = loadSource('t.mia', src).diagnostics.find((x) => x.code === 'E110');
    expect(d?.message).toContain(`${'1'.repeat(20)}…`);
    expect(d!.message.length).toBeLessThan(120);
  });

  it('an unterminated string and an unclosed comment are reported as such', () => {
    const str = parse('experiment e { seed 1 }\ndataset d = csv("data.csv)\n', 's.mia').diagnostics;
    expect(str[0]).toMatchObject({
      message: 'Unterminated string starting here.',
      range: { start: { line: 2, column: 17 } },
    });
    const com = parse('experiment e { seed 1 }\n/* a note\ndataset d = mnist\n', 'c.mia').diagnostics;
    expect(com).toHaveLength(1);
    expect(com[0]).toMatchObject({ range: { start: { line: 2, column: 1 } } });
    expect(com[0]!.message).toMatch(/^Unclosed comment/);
  });

  it('a file with syntax errors is not also told it declares no target or attack', () => {
    const l = loadSource('e.mia', 'experiment e { seed 1 }\ntarget victim { model mlp members ( }\n');
    expect(l.diagnostics.some((d) => d.code === 'E002')).toBe(true);
    expect(l.diagnostics.filter((d) => ['E203', 'E204', 'E205'].includes(d.code))).toEqual([]);
    expect(loadSource('f.mia', 'experiment e { seed 1 }\n').diagnostics.map((d) => d.code)).toContain('E204');
  });

  it('carets sit under the token after wide (CJK) characters', () => {
    const src = 'experiment e { seed 1 }\ndataset d = csv("数据.csv") ?\n';
    const d = parse(src, 'w.mia').diagnostics[0]!;
    const [code, caret] = formatDiagnostic(d, src).split('\n').slice(2, 4) as [string, string];
    const before = code.slice(0, code.indexOf('?'));
    expect(caret.indexOf('^')).toBe(displayWidth(before));
    expect(displayWidth(before)).toBe(before.length + 2);
  });
});

/** Diagnostics are values: every phase returns them instead of throwing. */
import type { Code } from './codes.js';
import type { Range } from './ast.js';
import { redactUrlsIn } from './redact.js';
import { oneLine, visible } from './visible.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: Code; // E001..., W001...: src/lang/codes.ts
  severity: Severity;
  message: string; // a full sentence that quotes names
  file: string;
  range: Range;
  hint?: string; // what to do about it
}

export interface Result<T> {
  value: T;
  diagnostics: Diagnostic[];
}

/** A phase's result: its value, or null when the diagnostics say why there is none. */
export type Staged<T> = Result<T | null>;

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');

/** Code points that terminals draw two columns wide (East Asian Wide and Fullwidth, emoji). */
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;

/** The columns a terminal gives `text` (tabs are shown as one space). */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

/** Source lines longer than this are shown as a window around the caret. */
const FRAME_WIDTH = 100;

/** The part of `text` shown in a code frame, and the caret's column span within what is shown. */
function frameWindow(text: string, from: number, to: number): { shown: string; from: number; to: number } {
  if (text.length <= FRAME_WIDTH) return { shown: text, from, to };
  const span = Math.min(to - from, FRAME_WIDTH - 20);
  const start = Math.max(0, Math.min(from - 20, text.length - FRAME_WIDTH));
  const end = Math.min(text.length, start + FRAME_WIDTH);
  const lead = start > 0 ? '…' : '';
  const shown = `${lead}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
  return { shown, from: from - start + lead.length, to: from - start + lead.length + span };
}

/**
 * `file:line:col: error[E012]: message`, the source line and a caret underline. Control and bidi
 * characters of the file, the message and the source line are shown escaped (`\u001b`), the caret
 * under what they became.
 */
export function formatDiagnostic(d: Diagnostic, source: string | undefined): string {
  const { line, column } = d.range.start;
  const head = oneLine(`${d.file}:${line}:${column}: ${d.severity}[${d.code}]: ${d.message}`);
  const lines: string[] = [head];
  if (source !== undefined) {
    const srcLines = source.split(/\r?\n/);
    // A url's password never reaches the terminal, even in the user's own line.
    const raw = srcLines[line - 1];
    const text = raw === undefined ? undefined : redactUrlsIn(raw);
    if (text !== undefined) {
      const gutter = String(line).length;
      const endCol = d.range.end.line === line ? Math.max(d.range.end.column, column + 1) : text.length + 1;
      const from = Math.min(column - 1, text.length);
      const to = Math.max(from + 1, Math.min(endCol, text.length + 1) - 1);
      const w = frameWindow(text.replace(/\t/g, ' '), from, to);
      const pad = displayWidth(visible(w.shown.slice(0, w.from)));
      const width = Math.max(1, displayWidth(visible(w.shown.slice(w.from, w.to))));
      lines.push(`${' '.repeat(gutter)} |`);
      lines.push(`${line} | ${visible(w.shown)}`);
      lines.push(`${' '.repeat(gutter)} | ${' '.repeat(pad)}${'^'.repeat(width)}`);
    }
  }
  if (d.hint) lines.push(oneLine(`  = help: ${d.hint}`));
  return lines.join('\n');
}

export function diagnosticToJson(d: Diagnostic): Record<string, unknown> {
  return {
    file: d.file,
    line: d.range.start.line,
    column: d.range.start.column,
    endLine: d.range.end.line,
    endColumn: d.range.end.column,
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
  };
}

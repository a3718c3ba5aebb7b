/** Diagnostics are values: every phase returns them instead of throwing. */
import type { Range } from './ast.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string; // E001..., W001...
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

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');

/** `file:line:col: error[E012]: message`, the source line and a caret underline. */
export function formatDiagnostic(d: Diagnostic, source: string | undefined): string {
  const { line, column } = d.range.start;
  const head = `${d.file}:${line}:${column}: ${d.severity}[${d.code}]: ${d.message}`;
  const lines: string[] = [head];
  if (source !== undefined) {
    const srcLines = source.split(/\r?\n/);
    const text = srcLines[line - 1];
    if (text !== undefined) {
      const gutter = String(line).length;
      const endCol = d.range.end.line === line ? Math.max(d.range.end.column, column + 1) : text.length + 1;
      const width = Math.max(1, Math.min(endCol, text.length + 1) - column);
      lines.push(`${' '.repeat(gutter)} |`);
      lines.push(`${line} | ${text.replace(/\t/g, ' ')}`);
      lines.push(`${' '.repeat(gutter)} | ${' '.repeat(Math.max(0, column - 1))}${'^'.repeat(width)}`);
    }
  }
  if (d.hint) lines.push(`  = help: ${d.hint}`);
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

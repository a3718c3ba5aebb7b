/** Reading, parsing and checking a spec; printing its diagnostics. */
import { readFileSync, statSync } from 'node:fs';
import { check, type TypedProgram } from '../check/index.js';
import { formatDiagnostic, hasErrors, parse, type Diagnostic } from '../lang/index.js';
import { UsageError } from './errors.js';

export interface Loaded { file: string; source: string; program: TypedProgram | null; diagnostics: Diagnostic[] }

export function readSpec(file: string): string {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new UsageError(`No such file: ${file}`);
  }
  if (st.isDirectory()) throw new UsageError(`${file} is a folder; give a .mia file.`);
  return readFileSync(file, 'utf8');
}

export function loadSpec(file: string): Loaded {
  return loadSource(file, readSpec(file));
}

/** Parses and checks a spec's text (read from a file or from git). */
export function loadSource(file: string, source: string): Loaded {
  const parsed = parse(source, file);
  const checked = check(parsed.value, file);
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics];
  return { file, source, program: hasErrors(diagnostics) ? null : checked.value, diagnostics };
}

export function printDiagnostics(l: Loaded, write: (s: string) => void): void {
  for (const d of l.diagnostics) write(`${formatDiagnostic(d, l.source)}\n\n`);
  const errors = l.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = l.diagnostics.length - errors;
  if (errors || warnings) write(`${l.file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
}

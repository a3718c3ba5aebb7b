/** Reading, parsing and checking a spec (with the files it imports); printing its diagnostics. */
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { check, loadImports, type ModuleHost, type TypedProgram } from '../check/index.js';
import { diagnosticToJson, formatDiagnostic, hasErrors, parse, type Diagnostic } from '../lang/index.js';
import { UsageError, UserError } from './errors.js';

export interface Loaded {
  file: string;
  source: string;
  program: TypedProgram | null;
  diagnostics: Diagnostic[];
  /** The text of every file the diagnostics may point into (the spec and its imports). */
  sources: Map<string, string>;
}

export function readSpec(file: string): string {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new UsageError(`No such file: ${file}`);
  }
  if (st.isDirectory()) throw new UsageError(`${file} is a folder; give a .mia file.`);
  return decodeSpec(readFileSync(file), file);
}

/** A spec whose bytes are not text: a user error that is also a diagnostic, with its place. */
export class SpecTextError extends UserError {
  constructor(readonly diagnostic: Diagnostic) {
    super(formatDiagnostic(diagnostic, undefined));
  }
}

/**
 * A spec is UTF-8 text; a byte-order mark (as Windows editors write) is dropped. A NUL byte or bytes
 * that are not UTF-8 are an error at their place (read as text, they would be silently replaced).
 */
export function decodeSpec(bytes: Uint8Array, file: string): string {
  const loose = new TextDecoder('utf-8').decode(bytes);
  let strict = true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    strict = false;
  }
  const at = (index: number, message: string): SpecTextError => {
    const before = loose.slice(0, index).split('\n');
    const start = { offset: index, line: before.length, column: before[before.length - 1]!.length + 1 };
    return new SpecTextError({
      code: 'E003',
      severity: 'error',
      file,
      message,
      range: { start, end: { ...start, offset: index + 1, column: start.column + 1 } },
    });
  };
  const nul = loose.indexOf('\0');
  if (nul >= 0) throw at(nul, 'The file holds a NUL byte here: it is not a text file. Give a .mia file.');
  if (!strict)
    throw at(Math.max(0, loose.indexOf('\uFFFD')), 'The file is not UTF-8 text here. Save it as UTF-8 and run again.');
  return loose.startsWith('\uFEFF') ? loose.slice(1) : loose;
}

/** Imports resolve relative to the importing file; paths are shown relative to the working directory. */
export const fileHost: ModuleHost = {
  resolve(from, spec) {
    const abs = resolve(dirname(from), spec);
    const rel = relative(process.cwd(), abs);
    return rel.startsWith('..') || rel === '' ? abs : rel;
  },
  read(file) {
    try {
      return statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
};

export function loadSource(file: string, source: string, host: ModuleHost = fileHost): Loaded {
  const parsed = parse(source, file);
  const imported = loadImports({ file, source, ast: parsed.value }, host);
  const checked = check(parsed.value, file, imported.modules);
  const diagnostics = [...parsed.diagnostics, ...imported.diagnostics, ...checked.diagnostics];
  const sources = new Map<string, string>([
    [file, source],
    ...imported.modules.map((m) => [m.file, m.source] as [string, string]),
  ]);
  return { file, source, program: hasErrors(diagnostics) ? null : checked.value, diagnostics, sources };
}

export function loadSpec(file: string): Loaded {
  try {
    return loadSource(file, readSpec(file));
  } catch (e) {
    if (!(e instanceof SpecTextError)) throw e;
    return { file, source: '', program: null, diagnostics: [e.diagnostic], sources: new Map() };
  }
}

export function printDiagnostics(
  l: Pick<Loaded, 'file' | 'diagnostics' | 'sources'>,
  write: (s: string) => void,
): void {
  for (const d of l.diagnostics) write(`${formatDiagnostic(d, l.sources.get(d.file))}\n\n`);
  const errors = l.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = l.diagnostics.length - errors;
  if (errors || warnings)
    write(`${l.file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
}

export const diagnosticsJson = (file: string, ds: readonly Diagnostic[]): string =>
  JSON.stringify({
    file,
    errors: ds.filter((d) => d.severity === 'error').length,
    diagnostics: ds.map(diagnosticToJson),
  });

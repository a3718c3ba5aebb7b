/** Reading, parsing and checking a spec (with the files it imports); printing its diagnostics. */
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { check, loadImports, type ModuleHost, type TypedProgram } from '../check/index.js';
import { diagnosticToJson, formatDiagnostic, hasErrors, parse, type Diagnostic } from '../lang/index.js';
import { UsageError } from './errors.js';

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
  return readFileSync(file, 'utf8');
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
  const sources = new Map<string, string>([[file, source], ...imported.modules.map((m) => [m.file, m.source] as [string, string])]);
  return { file, source, program: hasErrors(diagnostics) ? null : checked.value, diagnostics, sources };
}

export function loadSpec(file: string): Loaded {
  return loadSource(file, readSpec(file));
}

export function printDiagnostics(l: Pick<Loaded, 'file' | 'diagnostics' | 'sources'>, write: (s: string) => void): void {
  for (const d of l.diagnostics) write(`${formatDiagnostic(d, l.sources.get(d.file))}\n\n`);
  const errors = l.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = l.diagnostics.length - errors;
  if (errors || warnings) write(`${l.file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
}

export const diagnosticsJson = (file: string, ds: readonly Diagnostic[]): string =>
  JSON.stringify({ file, errors: ds.filter((d) => d.severity === 'error').length, diagnostics: ds.map(diagnosticToJson) });

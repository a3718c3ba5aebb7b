/** Loading a spec: its text, parsed and checked with the files it imports. */
import { check, loadImports, type ModuleHost, type TypedProgram } from '../check/index.js';
import { hasErrors, parse, type Diagnostic } from '../lang/index.js';
import { fileHost, readSpec, readSpecOrRevision, SpecTextError } from './read.js';

export interface Loaded {
  file: string;
  source: string;
  /** The checked program; null when the diagnostics hold an error. */
  program: TypedProgram | null;
  diagnostics: Diagnostic[];
  /** The text of every file the diagnostics may point into (the spec and its imports). */
  sources: Map<string, string>;
}

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

export interface LoadOptions {
  /** Also accept `REV:path`, read from git (as `mia diff` does). */
  revisions?: boolean;
}

/**
 * Reads, parses and checks a spec. A missing file or one that is not a regular file is a UsageError;
 * text that is not UTF-8 is a diagnostic like any other.
 */
export function loadSpec(file: string, opts: LoadOptions = {}): Loaded {
  try {
    return loadSource(file, opts.revisions ? readSpecOrRevision(file) : readSpec(file));
  } catch (e) {
    if (!(e instanceof SpecTextError)) throw e;
    return { file, source: '', program: null, diagnostics: [e.diagnostic], sources: new Map() };
  }
}

/**
 * Imports: `import "other.mia"` makes the declarations of the other file visible. The checker stays
 * free of the file system: a host resolves an import (relative to the importing file) and reads it.
 * Every file is loaded once (diamonds are fine); a cycle is reported with its chain.
 */
import { parse, type Diagnostic, type Program } from '../lang/index.js';

export interface Module {
  file: string;
  source: string;
  ast: Program;
}

export interface ModuleHost {
  /** The path of `spec` imported from `from` (e.g. resolved against from's folder). */
  resolve(from: string, spec: string): string;
  /** The text of a file, or undefined when it cannot be read. */
  read(file: string): string | undefined;
}

/** The modules the entry imports, directly or not, in load order (the entry itself excluded). */
export function loadImports(entry: Module, host: ModuleHost): { modules: Module[]; diagnostics: Diagnostic[] } {
  const modules: Module[] = [];
  const diagnostics: Diagnostic[] = [];
  const done = new Set<string>([entry.file]);
  const visit = (m: Module, chain: string[]): void => {
    for (const it of m.ast.items) {
      if (it.kind !== 'import' || it.recovered) continue;
      if (it.path.trim() === '') {
        diagnostics.push({
          code: 'E210',
          severity: 'error',
          file: m.file,
          range: it.pathRange,
          message: 'An import needs the path of a .mia file, not an empty string.',
          hint: 'Write import "common.mia", relative to this file.',
        });
        continue;
      }
      const target = host.resolve(m.file, it.path);
      const at = chain.indexOf(target);
      if (at >= 0) {
        const cycle = [...chain.slice(at), target].join(' → ');
        diagnostics.push({
          code: 'E211',
          severity: 'error',
          file: m.file,
          range: it.pathRange,
          message: `Import cycle: ${cycle}.`,
          hint: 'A file cannot import itself, directly or through others; move the shared declarations into a third file.',
        });
        continue;
      }
      if (done.has(target)) continue;
      done.add(target);
      const source = host.read(target);
      if (source === undefined) {
        diagnostics.push({
          code: 'E210',
          severity: 'error',
          file: m.file,
          range: it.pathRange,
          message: `Cannot read the imported file "${it.path}" (looked for ${target}).`,
          hint: 'Imports are resolved relative to the importing file.',
        });
        continue;
      }
      const parsed = parse(source, target);
      diagnostics.push(...parsed.diagnostics);
      const mod: Module = { file: target, source, ast: parsed.value };
      modules.push(mod);
      visit(mod, [...chain, target]);
    }
  };
  visit(entry, [entry.file]);
  return { modules, diagnostics };
}

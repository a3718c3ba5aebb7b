/** Printing diagnostics; loading itself is the pipeline's (re-exported here for the old import path). */
import { diagnosticToJson, formatDiagnostic, type Diagnostic } from '../lang/index.js';
import type { Loaded } from '../pipeline/index.js';

export {
  decodeSpec,
  fileHost,
  loadSource,
  loadSpec,
  readSpec,
  SpecTextError,
  type Loaded,
} from '../pipeline/index.js';

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

/**
 * `mia check FILE... [--json]`: parse and check each file (and its imports); exit 0 without errors, 1 with,
 * 2 when a file cannot be read (reported in its place among the results; the other files are still checked).
 */
import { UsageError } from './errors.js';
import { diagnosticsJson, loadSpec, printDiagnostics } from './load.js';

export function checkCommand(
  files: readonly string[],
  json: boolean,
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  let code = 0;
  for (const f of files) {
    let l: ReturnType<typeof loadSpec>;
    try {
      l = loadSpec(f);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      if (json) out(`${JSON.stringify({ file: f, errors: 1, unreadable: e.message, diagnostics: [] })}\n`);
      else err(`${f}: ${e.message}\n`);
      code = 2;
      continue;
    }
    if (json) out(`${diagnosticsJson(f, l.diagnostics)}\n`);
    else {
      printDiagnostics(l, err);
      if (!l.diagnostics.length) out(`${f}: ok\n`);
    }
    if (!l.program) code = Math.max(code, 1);
  }
  return code;
}

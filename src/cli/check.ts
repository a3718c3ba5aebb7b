/** `mia check FILE... [--json]`: parse and check each file (and its imports); exit 0 without errors, 1 with. */
import { diagnosticsJson, loadSpec, printDiagnostics } from './load.js';

export function checkCommand(
  files: readonly string[],
  json: boolean,
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  let failed = false;
  for (const f of files) {
    const l = loadSpec(f);
    if (json) out(`${diagnosticsJson(f, l.diagnostics)}\n`);
    else {
      printDiagnostics(l, err);
      if (!l.diagnostics.length) out(`${f}: ok\n`);
    }
    if (!l.program) failed = true;
  }
  return failed ? 1 : 0;
}

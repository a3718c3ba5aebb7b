/** Every phase `mia check` and `mia fmt` run on a parsed file, for the nesting tests: none may throw. */
import { check } from '../../src/check/index.js';
import { attachComments, formatDiagnostic, parse, print, stripRanges } from '../../src/lang/index.js';

export function everyPhase(source: string): ReturnType<typeof parse> {
  const parsed = parse(source, 'deep.mia');
  print(parsed.value);
  stripRanges(parsed.value);
  attachComments(parsed.value);
  check(parsed.value, 'deep.mia');
  for (const d of parsed.diagnostics) formatDiagnostic(d, source);
  return parsed;
}

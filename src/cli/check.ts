/**
 * `mia check FILE... [--json]`: parse and check each file (and its imports); exit 0 without errors, 1 with,
 * 2 when a file cannot be read (reported in its place among the results; the other files are still checked).
 */
import { loadSpec } from '../pipeline/index.js';
import { defineCommand } from './command.js';
import { pluginOption } from './options.js';
import { loadPluginsOrExplain } from './plugins.js';
import { UsageError } from './errors.js';
import { diagnosticsJson, printDiagnostics } from './load.js';

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

export const checkCli = defineCommand({
  name: 'check',
  summary: 'check specs and print diagnostics',
  usage: 'FILE... [options]',
  options: {
    json: { type: 'boolean', default: false, help: 'diagnostics as JSON, one line per file' },
    ...pluginOption,
  },
  run: async ({ values: v, positionals }, io) => {
    if (positionals.length === 0) throw new UsageError('mia check takes one or more .mia files.');
    await loadPluginsOrExplain(v.plugin);
    return checkCommand(positionals, v.json, io.out, io.err);
  },
});

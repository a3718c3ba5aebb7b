/** `mia check FILE... [--json]`: parse and check each file (and its imports); exit 0 without errors, 1 with. */
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

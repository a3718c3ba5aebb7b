/**
 * `mia diff A B`: what changes between two experiments as plans. Either side may be a git revision
 * and a path, `REV:path` (read with `git show`), e.g. `mia diff HEAD~1:experiments/x.mia experiments/x.mia`.
 */
import type { BackendChoice } from '../ml/backend-choice.js';
import { backendOrExplain, loadSpec, planSpec } from '../pipeline/index.js';
import { diffPlans, diffToText, type Plan } from '../plan/index.js';
import { defineCommand } from './command.js';
import { UsageError, UserError } from './errors.js';
import { printDiagnostics } from './load.js';
import { backendChoice, backendOption } from './options.js';

export { readSpecOrRevision } from '../pipeline/index.js';

export interface DiffOptions {
  a: string;
  b: string;
  format: string;
  backend: BackendChoice;
}

export async function diffCommand(o: DiffOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (o.format !== 'text' && o.format !== 'json')
    throw new UserError(`Unknown format "${o.format}". Use text or json.`);
  const backend = await backendOrExplain(o.backend);
  const plans: Plan[] = [];
  for (const ref of [o.a, o.b]) {
    const loaded = loadSpec(ref, { revisions: true });
    printDiagnostics(loaded, err);
    if (!loaded.program) return 1;
    const planned = planSpec(loaded, backend);
    printDiagnostics({ ...loaded, diagnostics: planned.diagnostics }, err);
    if (!planned.value) return 1;
    plans.push(planned.value);
  }
  const d = diffPlans(plans[0]!, plans[1]!);
  if (o.format === 'json') out(`${JSON.stringify(d, null, 2)}\n`);
  else out(`${diffToText(d, o.a, o.b)}\n`);
  return 0;
}

export const diffCli = defineCommand({
  name: 'diff',
  summary: 'what changes between two experiments (either may be REV:path, read from git)',
  usage: 'A B [options]',
  details: 'e.g. mia diff HEAD~1:experiments/x.mia experiments/x.mia',
  options: {
    format: { type: 'string', default: 'text', value: 'text|json', help: 'the output format' },
    backend: { ...backendOption, help: 'as for run' },
  },
  run: ({ values: v, positionals }, io) => {
    const [a, b] = positionals;
    if (a === undefined || b === undefined || positionals.length !== 2)
      throw new UsageError('mia diff takes two .mia files (either may be REV:path).');
    return diffCommand({ a, b, format: v.format, backend: backendChoice(v.backend) }, io.out, io.err);
  },
});

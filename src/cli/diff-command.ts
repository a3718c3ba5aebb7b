/**
 * `mia diff A B`: what changes between two experiments as plans. Either side may be a git revision
 * and a path, `REV:path` (read with `git show`), e.g. `mia diff HEAD~1:experiments/x.mia experiments/x.mia`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { BackendChoice } from '../ml/backend-choice.js';
import { diffPlans, diffToText, type Plan } from '../plan/index.js';
import { UsageError, UserError } from './errors.js';
import { loadSource, printDiagnostics, readSpec } from './load.js';
import { backendOrExplain, compileOrExplain } from './prepare.js';

export interface DiffOptions {
  a: string;
  b: string;
  format: string;
  backend: BackendChoice;
}

/** The text of a spec: a file, or `REV:path` from git when no such file exists. */
export function readSpecOrRevision(ref: string): string {
  const m = /^([^:]+):(.+)$/.exec(ref);
  if (existsSync(ref) || !m) return readSpec(ref);
  if (ref.startsWith('-')) throw new UsageError(`"${ref}" is not a file or a git revision:path.`);
  // `git cat-file blob` reads a file's content only (a folder or a missing path is an error), and
  // --end-of-options keeps a revision from being read as an option.
  const r = spawnSync('git', ['cat-file', 'blob', '--end-of-options', ref], { encoding: 'utf8' });
  if (r.error) throw new UserError(`Could not run git to read ${ref}: ${r.error.message}`);
  if (r.status !== 0) throw new UserError(`git could not read ${ref}: ${r.stderr.trim() || `exit code ${r.status}`}`);
  return r.stdout;
}

export async function diffCommand(o: DiffOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (o.format !== 'text' && o.format !== 'json')
    throw new UserError(`Unknown format "${o.format}". Use text or json.`);
  const backend = await backendOrExplain(o.backend);
  const plans: Plan[] = [];
  for (const ref of [o.a, o.b]) {
    const loaded = loadSource(ref, readSpecOrRevision(ref));
    printDiagnostics(loaded, err);
    if (!loaded.program) return 1;
    plans.push(compileOrExplain(loaded.program, loaded.source, ref, backend));
  }
  const d = diffPlans(plans[0]!, plans[1]!);
  if (o.format === 'json') out(`${JSON.stringify(d, null, 2)}\n`);
  else out(`${diffToText(d, o.a, o.b)}\n`);
  return 0;
}

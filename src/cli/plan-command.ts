/** `mia plan FILE [--format text|json|dot]`: the jobs, their dependencies, and which are cached. */
import { resolve } from 'node:path';
import type { BackendChoice } from '../ml/backend-choice.js';
import { type Plan, planToDot, planToJson, planToText } from '../plan/index.js';
import { Cache } from '../run/index.js';
import { UsageError } from './errors.js';
import { backendOrExplain, defaultCacheDir, loadSpec, planSpec } from '../pipeline/index.js';
import { defineCommand } from './command.js';
import { printDiagnostics } from './load.js';
import { backendChoice, backendOption, cacheChoice, cacheOptions, onePositional, pluginOption } from './options.js';
import { loadPluginsOrExplain } from './plugins.js';

export const PLAN_FORMATS = ['text', 'json', 'dot'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface PlanOptions {
  file: string;
  format: string;
  backend: BackendChoice;
  cache?: string | null;
  /** `--store DIR`: the shared store of `mia run --queue` (read as the cache), named in the output. */
  store?: string;
}

export async function planCommand(o: PlanOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (!(PLAN_FORMATS as readonly string[]).includes(o.format))
    throw new UsageError(`Unknown format "${o.format}". Use one of: ${PLAN_FORMATS.join(', ')}.`);
  const loaded = loadSpec(o.file);
  printDiagnostics(loaded, err);
  if (!loaded.program) return 1;
  const backend = await backendOrExplain(o.backend);
  if (o.store !== undefined && o.cache !== undefined)
    throw new UsageError('--store and --cache/--no-cache name the same folder for mia plan; give one.');
  const cacheDir =
    o.store !== undefined ? resolve(o.store) : o.cache === null ? null : resolve(o.cache ?? defaultCacheDir(o.file));
  const planned = planSpec(loaded, backend, cacheDir);
  printDiagnostics({ ...loaded, diagnostics: planned.diagnostics }, err);
  const plan = planned.value;
  if (!plan) return 1;
  const cache = cacheDir === null ? null : new Cache(cacheDir);
  // "Cached" only for an entry verified intact: a corrupt one is discarded by `mia run` and runs again.
  const verified = new Map<string, boolean>();
  const cached = (hash: string): boolean => {
    if (!cache) return false;
    let ok = verified.get(hash);
    if (ok === undefined) {
      const v = cache.verify(hash);
      ok = v.status === 'hit';
      if (v.status === 'corrupt') {
        const job = plan.jobs.find((j) => j.hash === hash);
        err(
          `mia: note: the cached ${job?.label ?? hash} is corrupt (${v.reason}); mia run will discard it and run it again\n`,
        );
      }
      verified.set(hash, ok);
    }
    return ok;
  };
  const format = o.format as PlanFormat;
  if (format === 'json') out(`${JSON.stringify(planToJson(plan, cached), null, 2)}\n`);
  else if (format === 'dot') out(`${planToDot(plan, cached)}\n`);
  else out(`${planToText(plan, cached)}\n`);
  if (o.store !== undefined && format === 'text') out(`${storeLine(plan, cacheDir!, cached)}\n`);
  return 0;
}

/** Which jobs the shared store holds (those marked cached), so a queue's run skips them. */
function storeLine(plan: Plan, dir: string, cached: (hash: string) => boolean): string {
  const held = plan.jobs.filter((j) => cached(j.hash)).length;
  return `The store ${dir} holds the outputs of ${held} of these ${plan.jobs.length} jobs (marked cached); no worker runs them again.`;
}

export const planCli = defineCommand({
  name: 'plan',
  summary: 'the jobs an experiment compiles to, their dependencies, which are cached',
  usage: 'FILE [options]',
  options: {
    format: { type: 'string', default: 'text', value: PLAN_FORMATS.join('|'), help: 'the output format' },
    backend: { ...backendOption, help: 'as for run (the backend is part of every job hash)' },
    ...cacheOptions,
    store: { type: 'string', value: 'DIR', help: 'the shared store of mia run --queue: say which jobs it holds' },
    ...pluginOption,
  },
  run: async ({ values: v, positionals }, io) => {
    await loadPluginsOrExplain(v.plugin);
    return planCommand(
      {
        file: onePositional(positionals, 'mia plan takes one .mia file.'),
        format: v.format,
        backend: backendChoice(v.backend),
        cache: cacheChoice(v.cache, v['no-cache']),
        ...(v.store !== undefined ? { store: v.store } : {}),
      },
      io.out,
      io.err,
    );
  },
});

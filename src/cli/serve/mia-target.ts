/**
 * A target mia trained, by name: from its spec (`x.mia`) or a run's folder (its results.json names the
 * spec in `provenance.spec.path`). The spec is planned as `mia plan` does (same backend and cache), and
 * the target's trained model is read from the cache under its job's hash, verified as a run reads it.
 */
import { dirname, join, resolve } from 'node:path';
import { loadArtifacts, type ModelArtifacts } from '../../ml/index.js';
import { formatDiagnostic, hasErrors } from '../../lang/index.js';
import { defaultCacheDir, loadSpec, planSpec, UserError, type Loaded } from '../../pipeline/index.js';
import type { Plan, TargetPlan } from '../../plan/index.js';
import { readResults, ResultsReadError } from '../../report/index.js';
import { Cache } from '../../run/index.js';
import type { BackendName } from '../../ml/backend-choice.js';
import { holds, isFile, type ModelSource, type SourceOptions } from './served.js';
import { servedLayers } from './tfjs-file.js';

/** The spec a run's folder was written from (its results.json's provenance). */
function specOfRun(dir: string): string {
  let read: ReturnType<typeof readResults>;
  try {
    read = readResults(dir);
  } catch (e) {
    if (e instanceof ResultsReadError) throw new UserError(e.message);
    throw e;
  }
  const spec = read.results.provenance?.spec?.path;
  if (typeof spec !== 'string')
    throw new UserError(
      `${read.path} does not say which spec it was run from (no provenance.spec): give the .mia file instead.`,
    );
  return resolve(dirname(read.path), spec);
}

function explained(loaded: Pick<Loaded, 'diagnostics' | 'sources'>): string {
  return loaded.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => formatDiagnostic(d, loaded.sources.get(d.file)))
    .join('\n\n');
}

/** The target to serve: the one named, or the only one. */
function pickTarget(plan: Plan, spec: string, name: string | undefined): TargetPlan {
  const targets = [...new Map(plan.runs.map((r) => [r.target.name, r.target])).values()];
  const names = targets.map((t) => `"${t.name}"`).join(', ');
  if (name === undefined) {
    if (targets.length === 1) return targets[0]!;
    throw new UserError(`${spec} has the targets ${names}: say which to serve with --target NAME.`);
  }
  const t = targets.find((x) => x.name === name);
  if (!t) throw new UserError(`${spec} has no target "${name}"; its targets: ${names}.`);
  return t;
}

/** The trained model of `t` from the cache, or a UserError saying how to get it there. */
function cachedModel(plan: Plan, t: TargetPlan, spec: string, cacheDir: string | null): ModelArtifacts {
  if (t.queries !== undefined)
    throw new UserError(`The target "${t.name}" of ${spec} is a remote API: it is served already.`);
  const job = plan.jobs.find((j) => j.id === t.train);
  if (!job) throw new Error(`The plan has no job ${t.train} (a bug).`);
  const run = `run mia run ${spec} first (with the same --backend and --cache)`;
  if (cacheDir === null) throw new UserError(`mia serve reads the target's model from the cache: ${run}.`);
  const got = new Cache(cacheDir).get<{ kind: string; artifacts?: ModelArtifacts }>(job.hash);
  if (got.status === 'corrupt')
    throw new UserError(`The cached model of target "${t.name}" was corrupt (${got.reason}) and is discarded: ${run}.`);
  if (got.status === 'miss' || !got.value.artifacts)
    throw new UserError(`The model of target "${t.name}" is not in the cache ${cacheDir}: ${run}.`);
  return got.value.artifacts;
}

export const miaTargetSource: ModelSource = {
  name: 'mia target',
  looksLike: "a .mia spec or a run's folder (with results.json), with --target NAME",
  accepts: (path) => (isFile(path) && path.endsWith('.mia')) || holds(path, 'results.json'),
  async load(path: string, o: SourceOptions) {
    const spec = isFile(path) ? path : specOfRun(path);
    const loaded = loadSpec(spec);
    if (!loaded.program) throw new UserError(explained(loaded));
    const cacheDir = o.cache === null ? null : resolve(o.cache ?? defaultCacheDir(spec));
    const planned = planSpec(loaded, o.backend as BackendName, cacheDir);
    if (!planned.value || hasErrors(planned.diagnostics))
      throw new UserError(explained({ ...loaded, diagnostics: planned.diagnostics }));
    const t = pickTarget(planned.value, spec, o.target);
    const model = await loadArtifacts(cachedModel(planned.value, t, spec, cacheDir));
    return servedLayers(model, `target "${t.name}" of ${spec}`, join(cacheDir ?? '', t.train));
  },
};

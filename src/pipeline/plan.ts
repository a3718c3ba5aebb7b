/** From a checked program to a plan: the run gate, dataset facts, the backend, the compiler. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { unsupportedForRun, type DatasetDef, type TypedProgram } from '../check/index.js';
import { tmpdir } from 'node:os';
import { DataError, datasetFacts, sourceOf as sourceKind, synthesisBase, type SourceContext } from '../data/index.js';
import { formatDiagnostic, type Diagnostic } from '../lang/index.js';
// The light part of ml/: choosing a backend without loading TensorFlow.js in the main thread.
import { BackendUnavailable, resolveBackend, type BackendChoice, type BackendName } from '../ml/backend-choice.js';
import { compile, CompileError, contentHash, type DatasetInfo, type Plan } from '../plan/index.js';
import { UsageError, UserError } from './errors.js';
import { OnnxUnavailable } from '../ml/onnx-runtime.js';
import type { Loaded } from './load.js';

/** A stage's result: its value, or null when the diagnostics say why there is none. */
export interface Staged<T> {
  value: T | null;
  diagnostics: Diagnostic[];
}

/**
 * The facts of every dataset, read in this (the main) thread before any job: a file that cannot be
 * used is a DataError here, before anything trains. File sources parse through the cache of parsed
 * files under `cacheDir` (the run's cache, or a folder in the system's temporary one with --no-cache),
 * and the key of their content goes to the workers (which read the stored parse) and into job hashes.
 */
export function datasetInfos(
  program: TypedProgram,
  cacheDir: string | null = null,
  memo: Map<string, DatasetInfo> = new Map(),
): DatasetInfo[] {
  const base = { cacheDir: cacheDir ?? join(tmpdir(), 'mia-parsed'), seed: program.experiment.seed };
  const infos = new Map<string, DatasetInfo>();
  const ordered = [...program.datasets].sort(
    (a, b) => Number(!!sourceKind(a.source).synthesis) - Number(!!sourceKind(b.source).synthesis),
  );
  for (const d of ordered) {
    const ctx = { ...base, dir: dirname(resolve(d.file)) };
    if (sourceKind(d.source).synthesis) infos.set(d.name, synthesizedInfo(program, d, infos, ctx));
    else {
      // A sweep point that leaves a dataset as it was reuses its facts (its files are read once).
      const key = JSON.stringify([d.name, d.source, ctx.dir]);
      const info = memo.get(key) ?? loadedInfo(d, ctx);
      memo.set(key, info);
      infos.set(d.name, info);
    }
  }
  return program.datasets.map((d) => infos.get(d.name)!);
}

function loadedInfo(d: DatasetDef, ctx: SourceContext): DatasetInfo {
  const f = datasetFacts({ name: d.name, source: d.source, context: ctx });
  // A generated source (no files) is keyed by its kind, settings and seed, so its jobs re-run when they change.
  const key =
    f.key ?? (Object.keys(d.source.settings).length ? contentHash({ source: d.source, seed: ctx.seed }) : undefined);
  const context = key ? { ...ctx, key } : ctx;
  const notes = f.notes?.length ? { notes: f.notes } : {};
  return {
    name: d.name,
    source: d.source,
    n: f.n,
    classes: f.classes,
    shape: f.shape,
    labels: f.labels,
    context,
    ...notes,
  };
}

/**
 * A synthesised source: its records are made by a job, so what planning needs comes from its settings
 * (the record count) and its base, the dataset of its statistics or of the target it queries (shape, classes).
 */
function synthesizedInfo(
  program: TypedProgram,
  d: DatasetDef,
  known: Map<string, DatasetInfo>,
  ctx: SourceContext,
): DatasetInfo {
  const baseName = synthesisBase(program, d);
  const b = baseName === null ? undefined : known.get(baseName);
  if (!b)
    throw new DataError(
      d.file,
      `The dataset "${d.name}" must be synthesised from a dataset or a target of this experiment.`,
    );
  const n = sourceKind(d.source).records?.(d.source.settings) ?? 0;
  return {
    name: d.name,
    source: d.source,
    n,
    classes: b.classes,
    shape: b.shape,
    context: ctx,
    synthetic: { base: b.name },
  };
}

/** The facts of every dataset, a file that cannot be used a UserError (`file:line: what, what to do`). */
export function datasetInfosOrExplain(
  program: TypedProgram,
  cacheDir: string | null = null,
  memo: Map<string, DatasetInfo> = new Map(),
): DatasetInfo[] {
  try {
    return datasetInfos(program, cacheDir, memo);
  } catch (e) {
    if (e instanceof DataError) throw new UserError(e.message);
    throw e;
  }
}

/** The run gate: a checked program mia cannot run yet gets the diagnostics saying what and where. */
export function gateSpec(loaded: Loaded): Staged<TypedProgram> {
  if (!loaded.program) return { value: null, diagnostics: loaded.diagnostics };
  const gate = unsupportedForRun(loaded.program);
  return gate.length > 0 ? { value: null, diagnostics: gate } : { value: loaded.program, diagnostics: [] };
}

/** The plan of a checked program; what mia cannot run yet, or cannot plan, is a user error with its place. */
export function compileOrExplain(
  program: TypedProgram,
  source: string,
  file: string,
  backend: string,
  cacheDir: string | null = defaultCacheDir(file),
): Plan {
  const gate = unsupportedForRun(program);
  if (gate.length > 0) {
    throw new UserError(gate.map((d) => formatDiagnostic(d, d.file === file ? source : undefined)).join('\n\n'));
  }
  try {
    const memo = new Map<string, DatasetInfo>();
    return compile(program, (p) => datasetInfosOrExplain(p, cacheDir, memo), backend);
  } catch (e) {
    if (e instanceof OnnxUnavailable) throw new UsageError(e.message);
    if (e instanceof CompileError) {
      const range = e.range ?? { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
      const at = e.file ?? file;
      const d: Diagnostic = { code: 'E400', severity: 'error', message: e.message, file: at, range };
      throw new UserError(formatDiagnostic(d, at === file ? source : sourceOf(at)));
    }
    throw e;
  }
}

/** The text of an imported file, for the code frame of a diagnostic in it (none if it cannot be read). */
function sourceOf(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The plan of a loaded spec on `backend`: null with the gate's diagnostics when mia cannot run it;
 * a spec the compiler refuses is a UserError with its place (see compileOrExplain).
 */
export function planSpec(
  loaded: Loaded,
  backend: BackendName,
  cacheDir: string | null = defaultCacheDir(loaded.file),
): Staged<Plan> {
  const gated = gateSpec(loaded);
  if (!gated.value) return { value: null, diagnostics: gated.diagnostics };
  return { value: compileOrExplain(gated.value, loaded.source, loaded.file, backend, cacheDir), diagnostics: [] };
}

export async function backendOrExplain(choice: BackendChoice): Promise<BackendName> {
  try {
    return resolveBackend(choice);
  } catch (e) {
    if (e instanceof BackendUnavailable) throw new UserError(e.message);
    throw e;
  }
}

/** The default cache of a spec: .mia/cache in the spec's folder. */
export const defaultCacheDir = (specFile: string): string => join(dirname(resolve(specFile)), '.mia', 'cache');

/** From a checked program to a plan: the run gate, dataset facts, the backend, the compiler. */
import { dirname, join, resolve } from 'node:path';
import type { DatasetDef, TypedProgram } from '../check/index.js';
import {
  DataError,
  datasetFacts,
  privateTempCacheDir,
  sourceOf as sourceKind,
  synthesisBase,
  type SourceContext,
} from '../data/index.js';
import type { Staged } from '../lang/index.js';
// The light part of ml/: choosing a backend without loading TensorFlow.js in the main thread.
import { BackendUnavailable, resolveBackend, type BackendChoice, type BackendName } from '../ml/backend-choice.js';
import { compile, contentHash, type DatasetInfo, type Plan } from '../plan/index.js';
import { UsageError, UserError } from './errors.js';
import { OnnxUnavailable } from '../ml/onnx-runtime.js';
import type { Loaded } from './load.js';
import { advance, type SpecState } from './phases.js';

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
  const base = { cacheDir: cacheDir ?? privateTempCacheDir(), seed: program.experiment.seed };
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
    ...(f.membership ? { membership: f.membership } : {}),
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

/** A copy of a loaded spec's state for the phases after the front end (each call starts from the load). */
const stateOf = (loaded: Loaded): SpecState => ({ ...loaded, diagnostics: [...loaded.diagnostics] });

/** A spec through the run gate: the program mia can run (null with the diagnostics when it refused). */
export interface Gated extends Staged<TypedProgram> {
  /** The state after the gate, which `planSpec` continues from without gating again. */
  state: SpecState;
}

/** The run gate: a checked program mia cannot run yet gets the diagnostics saying what and where. */
export function gateSpec(loaded: Loaded): Gated {
  const state = stateOf(loaded);
  const diagnostics = advance(state, 'gate');
  return { value: state.runnable ?? null, diagnostics, state };
}

/**
 * The plan of a loaded spec on `backend`: null with the diagnostics of the gate or the planner when mia
 * cannot run it. A data file that cannot be read is a UserError (`file:line: what, what to do`). Given what
 * `gateSpec` returned, the gate is not run again (and its diagnostics, already returned, are not repeated).
 */
export function planSpec(
  from: Loaded | Gated,
  backend: BackendName,
  cacheDir: string | null = defaultCacheDir('state' in from ? from.state.file : from.file),
): Staged<Plan> {
  const state = stateOf('state' in from ? from.state : from);
  const memo = new Map<string, DatasetInfo>();
  const compileProgram = (p: TypedProgram) => compile(p, (q) => datasetInfosOrExplain(q, cacheDir, memo), backend);
  try {
    const diagnostics = advance(state, 'plan', { plan: { compile: compileProgram } });
    return { value: state.plan ?? null, diagnostics };
  } catch (e) {
    // A spec with an ONNX target on a machine without onnxruntime-node: an install step, not the spec's fault.
    if (e instanceof OnnxUnavailable) throw new UsageError(e.message, false);
    throw e;
  }
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

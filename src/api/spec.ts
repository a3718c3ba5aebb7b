/** parse, check and plan: a spec given as a path or as text, its diagnostics as values. */
import { resolve } from 'node:path';
import type { TypedProgram } from '../check/index.js';
import { hasErrors, parse as parseText, type Diagnostic, type Program } from '../lang/index.js';
import type { BackendChoice } from '../ml/backend-choice.js';
import {
  backendOrExplain,
  defaultCacheDir,
  gateSpec,
  type Loaded,
  loadSource,
  loadSpec,
  planSpec,
  UsageError,
  UserError,
} from '../pipeline/index.js';
import { planToJson, type Plan } from '../plan/index.js';
import { asMiaError, MiaError } from './errors.js';

/** A spec: the path of a .mia file, or its text (imports are then resolved from `path`'s folder, default the working directory). */
export type SpecInput = string | { source: string; path?: string };

export interface Checked {
  ok: boolean;
  /** The checked program; null when the diagnostics hold an error. */
  program: TypedProgram | null;
  /** Errors and warnings, in the order mia check prints them. */
  diagnostics: Diagnostic[];
  /** The spec's file name (as given, or `path` of a text). */
  file: string;
}

/** The syntax tree of a spec's text and the parser's diagnostics (the parser is total: it never throws). */
export function parse(source: string, file = 'spec.mia'): { ast: Program; diagnostics: Diagnostic[] } {
  const r = parseText(source, file);
  return { ast: r.value, diagnostics: r.diagnostics };
}

/** Reads a spec (a MiaError of kind `input` when its file cannot be read). */
export function load(spec: SpecInput): Loaded {
  try {
    return typeof spec === 'string' ? loadSpec(spec) : loadSource(spec.path ?? resolve('spec.mia'), spec.source);
  } catch (e) {
    throw asMiaError(e, 'input', [UsageError, UserError]);
  }
}

/** Parses and checks a spec with its imports, as `mia check` does. */
export function check(spec: SpecInput): Checked {
  const l = load(spec);
  return { ok: l.program !== null, program: l.program, diagnostics: l.diagnostics, file: l.file };
}

export interface PlanOptions {
  /** The backend the jobs' hashes are made for (default `auto`: tfjs-node where installed, else wasm). */
  backend?: BackendChoice;
  /** The cache folder; null: none. Default: `.mia/cache` beside a spec file, none for a text. */
  cache?: string | null;
}

export interface Planned extends Checked {
  plan: Plan;
  /** The plan as `mia plan --format json` prints it (no job marked cached). */
  json: ReturnType<typeof planToJson>;
}

/** The spec loaded, refused with a MiaError of kind `spec` when it has errors or asks for what mia cannot run. */
export function gate(spec: SpecInput): { loaded: Loaded; program: TypedProgram } {
  const loaded = load(spec);
  const gated = loaded.program ? gateSpec(loaded) : { value: null, diagnostics: loaded.diagnostics };
  if (!gated.value) throw specError(loaded, gated.diagnostics);
  return { loaded, program: gated.value };
}

export const specError = (l: Loaded, diagnostics: Diagnostic[]): MiaError => {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const first = diagnostics.find((d) => d.severity === 'error');
  return new MiaError(
    'spec',
    `${l.file}: ${errors} error${errors === 1 ? '' : 's'}${first ? `; the first: ${first.message}` : ''}`,
    diagnostics,
    [],
    l.sources,
  );
};

export const cacheFolder = (spec: SpecInput, cache: string | null | undefined): string | null =>
  cache === null
    ? null
    : cache !== undefined
      ? resolve(cache)
      : typeof spec === 'string'
        ? resolve(defaultCacheDir(spec))
        : null;

/** Compiles a spec into its plan of content-hashed jobs, as `mia plan` does. */
export async function plan(spec: SpecInput, o: PlanOptions = {}): Promise<Planned> {
  const { loaded } = gate(spec);
  let backend: Awaited<ReturnType<typeof backendOrExplain>>;
  try {
    backend = await backendOrExplain(o.backend ?? 'auto');
  } catch (e) {
    throw asMiaError(e, 'input', [UsageError, UserError]);
  }
  const planned = planSpec(loaded, backend, cacheFolder(spec, o.cache));
  if (!planned.value || hasErrors(planned.diagnostics)) throw specError(loaded, planned.diagnostics);
  const p = planned.value;
  return {
    ok: true,
    program: loaded.program,
    diagnostics: [...loaded.diagnostics, ...planned.diagnostics],
    file: loaded.file,
    plan: p,
    json: planToJson(p, () => false),
  };
}

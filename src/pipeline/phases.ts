/**
 * The pipeline's phases as a table, in order, with one stop policy (graphql-js's `validate(schema, doc,
 * rules)` and Langium's document builder are the models). Each phase reads the state the phases before it
 * filled, fills its own field and returns its diagnostics; none throws for what the spec says (a missing
 * file, a data file that cannot be read or an unavailable backend are not diagnostics: those stay
 * UsageError/UserError, raised before or outside the phases).
 *
 * The stop policy: the front end (`load`: read, parse with recovery, imports, check) reports every
 * diagnostic of the spec and its imports at once, as compilers do; after it, no phase runs once a phase's
 * diagnostics hold an error. Warnings never stop.
 */
import type { TypedProgram } from '../check/index.js';
import { unsupportedForRun } from '../check/index.js';
import { hasErrors, type Diagnostic, type Staged } from '../lang/index.js';
import type { Plan } from '../plan/index.js';

/** What the phases know about one spec so far. */
export interface SpecState {
  file: string;
  source: string;
  /** The text of every file a diagnostic may point into (the spec and its imports). */
  sources: Map<string, string>;
  /** load: the checked program (null when the front end found an error). */
  program: TypedProgram | null;
  /** gate: the program mia can run (unset until the gate ran, null when it refused). */
  runnable?: TypedProgram | null;
  /** plan: the plan (unset until the planner ran, null when it refused). */
  plan?: Plan | null;
  /** Every diagnostic so far, in phase order. */
  diagnostics: Diagnostic[];
}

/** A phase after the front end: its name, and how it runs (reading its own options, if any). */
export interface Phase {
  name: PhaseName;
  /** Whether this phase already ran on the state (its field is set): `advance` then goes on past it. */
  done(state: SpecState): boolean;
  run(state: SpecState, options: PhaseOptions): Diagnostic[];
}

export type PhaseName = 'gate' | 'plan';

/** What phases need beyond the spec, by phase: compiling (the backend, the cache) is the caller's. */
export interface PhaseOptions {
  plan?: { compile: (program: TypedProgram) => Staged<Plan> };
}

const gate: Phase = {
  name: 'gate',
  done: (state) => state.runnable !== undefined,
  run(state) {
    const ds = state.program ? unsupportedForRun(state.program) : [];
    state.runnable = hasErrors(ds) ? null : state.program;
    return ds;
  },
};

const plan: Phase = {
  name: 'plan',
  done: (state) => state.plan !== undefined,
  run(state, options) {
    if (!options.plan) throw new Error('The plan phase needs a compiler (PhaseOptions.plan).');
    const r = options.plan.compile(state.runnable!);
    state.plan = r.value;
    return r.diagnostics;
  },
};

/** The phases after the front end, in order. A new phase is one entry here. */
export const PHASES: readonly Phase[] = [gate, plan];

/** The one stop policy: a phase runs only when no diagnostic so far is an error. */
export const stops = (state: SpecState): boolean => state.program === null || hasErrors(state.diagnostics);

/**
 * Runs the phases after the front end up to and including `last`, stopping where the policy says; the
 * diagnostics each phase returned are added to the state (and returned, those of this call only). A phase
 * that already ran on this state (`gateSpec`'s, continued by `planSpec`) is not run again.
 */
export function advance(state: SpecState, last: PhaseName, options: PhaseOptions = {}): Diagnostic[] {
  const added: Diagnostic[] = [];
  for (const phase of PHASES) {
    if (stops(state)) break;
    if (phase.done(state)) {
      if (phase.name === last) break;
      continue;
    }
    const ds = phase.run(state, options);
    state.diagnostics.push(...ds);
    added.push(...ds);
    if (phase.name === last) break;
  }
  return added;
}

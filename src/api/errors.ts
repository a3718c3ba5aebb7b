/** The library's one error type: what went wrong as a kind, the diagnostics when a spec is refused, a message. */
import { formatDiagnostic, type Diagnostic } from '../lang/index.js';

export type MiaErrorKind =
  /** The spec has errors: `diagnostics` holds them (with file, line, column and code). */
  | 'spec'
  /** A file or folder that cannot be used (missing, not a regular file, not writable), a backend not installed. */
  | 'input'
  /** A results.json or signals file that does not match its schema, or that the attacks cannot use. */
  | 'file'
  /** Jobs failed: `failures` says which and why. */
  | 'jobs'
  /** The AbortSignal stopped the run. */
  | 'aborted';

export class MiaError extends Error {
  override readonly name = 'MiaError';
  constructor(
    readonly kind: MiaErrorKind,
    message: string,
    /** The spec's diagnostics, errors and warnings (kind `spec`; empty otherwise). */
    readonly diagnostics: readonly Diagnostic[] = [],
    /** Each failed job's id and message (kind `jobs`). */
    readonly failures: readonly { job: string; error: string }[] = [],
    /** The text of the files the diagnostics point into, for code frames. */
    readonly sources: ReadonlyMap<string, string> = new Map(),
  ) {
    super(message);
  }

  /** The diagnostics as mia check prints them: `file:line:col: error[E201]: …`, the line, a caret. */
  formatted(): string {
    return this.diagnostics.map((d) => formatDiagnostic(d, this.sources.get(d.file))).join('\n\n');
  }
}

/** `e` as a MiaError of `kind` when it is a user's error (an Error mia throws for what a user can fix). */
export function asMiaError(
  e: unknown,
  kind: MiaErrorKind,
  userErrors: readonly (abstract new (...a: never[]) => Error)[],
): unknown {
  return userErrors.some((c) => e instanceof c) ? new MiaError(kind, (e as Error).message) : e;
}

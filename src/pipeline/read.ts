/** The text of a spec: a regular file read as UTF-8, or `REV:path` read from git. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { ModuleHost } from '../check/index.js';
import { formatDiagnostic, type Diagnostic } from '../lang/index.js';
import { UsageError, UserError } from './errors.js';
import { requireRegularFile } from './places.js';
import { readUserFile, UserFileError } from '../util/user-file.js';

/** The largest spec mia reads (real ones are a few kilobytes). */
const SPEC_LIMIT = 16 * 1024 ** 2;

export function readSpec(file: string): string {
  requireRegularFile(file);
  try {
    return decodeSpec(readUserFile(file, { what: 'spec', limit: SPEC_LIMIT }), file);
  } catch (e) {
    if (e instanceof UserFileError) throw new UsageError(e.message);
    throw e;
  }
}

/** A spec whose bytes are not text: a user error that is also a diagnostic, with its place. */
export class SpecTextError extends UserError {
  constructor(readonly diagnostic: Diagnostic) {
    super(formatDiagnostic(diagnostic, undefined));
  }
}

/**
 * A spec is UTF-8 text; a byte-order mark (as Windows editors write) is dropped. A NUL byte or bytes
 * that are not UTF-8 are an error at their place (read as text, they would be silently replaced).
 */
export function decodeSpec(bytes: Uint8Array, file: string): string {
  const loose = new TextDecoder('utf-8').decode(bytes);
  let strict = true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    strict = false;
  }
  const at = (index: number, message: string): SpecTextError => {
    const before = loose.slice(0, index).split('\n');
    const start = { offset: index, line: before.length, column: before[before.length - 1]!.length + 1 };
    return new SpecTextError({
      code: 'E003',
      severity: 'error',
      file,
      message,
      range: { start, end: { ...start, offset: index + 1, column: start.column + 1 } },
    });
  };
  const nul = loose.indexOf('\0');
  if (nul >= 0) throw at(nul, 'The file holds a NUL byte here: it is not a text file. Give a .mia file.');
  if (!strict)
    throw at(Math.max(0, loose.indexOf('\uFFFD')), 'The file is not UTF-8 text here. Save it as UTF-8 and run again.');
  return loose.startsWith('\uFEFF') ? loose.slice(1) : loose;
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

/** Imports resolve relative to the importing file; paths are shown relative to the working directory. */
export const fileHost: ModuleHost = {
  resolve(from, spec) {
    const abs = resolve(dirname(from), spec);
    const rel = relative(process.cwd(), abs);
    return rel.startsWith('..') || rel === '' ? abs : rel;
  },
  read(file) {
    try {
      return readUserFile(file, { what: 'spec', limit: SPEC_LIMIT }).toString('utf8');
    } catch {
      return undefined;
    }
  },
};

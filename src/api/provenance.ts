/**
 * Where results come from (results.json's `provenance`) and whose results a folder holds: a run refuses
 * to overwrite the results of another spec unless asked (`--force`).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { TypedProgram } from '../check/index.js';
import type { Loaded } from '../pipeline/index.js';
import type { Provenance, SpecFile } from '../report/index.js';
import { UserError } from '../pipeline/errors.js';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const posix = (p: string): string => p.split(sep).join('/');

/** The default results folder: `results/<spec file name without .mia>/` beside the spec. */
export const defaultResultsDir = (file: string): string =>
  join(dirname(file), 'results', basename(file).replace(/\.mia$/i, '') || 'spec');

/** Masks credentials in URLs: `scheme://user:pass@` and query values named like secrets. */
export const maskUrls = (s: string): string =>
  s
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]+@/gi, '$1***@')
    .replace(/([?&](?:[a-z_-]*(?:token|key|secret|password|passwd|auth|signature|sig)[a-z_-]*)=)[^&\s'"#]+/gi, '$1***');

const SECRET_NAME = /token|secret|passw|api[-_]?key|auth|credential|cookie/i;

/** The command line with the values of secret-looking options and URL credentials masked. */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('-') ? a.indexOf('=') : -1;
    if (eq > 0 && SECRET_NAME.test(a.slice(0, eq))) out.push(`${a.slice(0, eq)}=***`);
    else if (a.startsWith('-') && SECRET_NAME.test(a) && i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) {
      out.push(a, '***');
      i++;
    } else out.push(maskUrls(a));
  }
  return out;
}

const PLACE_KEYS = new Set(['file', 'range', 'keyRange']);

/** A definition as plain JSON: source places dropped, URL credentials masked, key order kept. */
export function plain(v: unknown): unknown {
  if (typeof v === 'string') return maskUrls(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!PLACE_KEYS.has(k) && x !== undefined) out[k] = plain(x);
  return out;
}

/** Runs git in `cwd` (the environment's GIT_* variables left out), bounded in time; null when it fails. */
function git(cwd: string, args: string[]): string | null {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
  try {
    return execFileSync('git', args, {
      cwd,
      env,
      timeout: 3000,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null;
  }
}

/** Whether `dir` or a folder above it holds `.git` (a folder, or a file in a worktree). */
function inRepository(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return true;
    if (dirname(d) === d) return false;
  }
}

/** The revision checked out where the spec lies, and whether the spec or an import differs from it. */
export function gitOf(specDir: string, files: readonly string[]): Provenance['invocation']['git'] {
  if (!inRepository(specDir)) return null;
  const revision = git(specDir, ['rev-parse', '--verify', '--quiet', 'HEAD'])?.trim();
  if (!revision) return null;
  const status = git(specDir, ['status', '--porcelain', '--untracked-files=all', '--', ...files]);
  return { revision, dirty: status === null ? null : status.trim().length > 0 };
}

/** results.json's provenance for a spec run into `dir`. */
export function provenanceOf(
  loaded: Loaded,
  program: TypedProgram,
  dir: string,
  argv: readonly string[],
  queue?: Provenance['invocation']['queue'],
): Provenance {
  const specDir = dirname(resolve(loaded.file));
  const files: SpecFile[] = [...loaded.sources].map(([file, text]) => ({
    path: posix(relative(specDir, resolve(file))),
    sha256: sha256(text),
    text: maskUrls(text),
  }));
  const section = (xs: readonly object[]) => xs.map((x) => plain(x) as Record<string, unknown>);
  return {
    spec: { path: posix(relative(dir, resolve(loaded.file))), sha256: sha256(loaded.source), files },
    settings: {
      models: section(program.models),
      targets: section(program.targets),
      shadows: section(program.shadows),
      attacks: section(program.attacks),
    },
    invocation: {
      argv: redactArgv(argv),
      git: gitOf(
        specDir,
        [...loaded.sources.keys()].map((f) => relative(specDir, resolve(f))),
      ),
      ...(queue ? { queue } : {}),
    },
  };
}

/** The spec that wrote `dir/results.json`, as a sentence fragment, or null when it is this spec (or none is there). */
function otherWriter(dir: string, file: string, text: string, experiment: string): string | null {
  const path = join(dir, 'results.json');
  if (!existsSync(path) || !statSync(path).isFile()) return null;
  let r: { experiment?: unknown; provenance?: Provenance } | null = null;
  try {
    r = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return 'a file that is not a mia results.json';
  }
  if (typeof r !== 'object' || r === null || typeof r.experiment !== 'string')
    return 'a file that is not a mia results.json';
  const spec = r.provenance?.spec;
  if (!spec) return r.experiment === experiment ? null : `the results of experiment "${r.experiment}"`;
  if (resolve(dir, spec.path) === resolve(file) || spec.sha256 === sha256(text)) return null;
  const shown = relative(process.cwd(), resolve(dir, spec.path)) || spec.path;
  return `the results of another spec, ${maskUrls(shown)}`;
}

/** Refuses (before any work) to overwrite results another spec wrote, unless `force`. */
export function checkResultsOwner(dir: string, loaded: Loaded, experiment: string, force: boolean): void {
  if (force) return;
  const other = otherWriter(dir, loaded.file, loaded.source, experiment);
  if (other)
    throw new UserError(
      `${join(dir, 'results.json')} holds ${other}; give --out DIR for a folder of this spec's own, or --force to overwrite it.`,
    );
}

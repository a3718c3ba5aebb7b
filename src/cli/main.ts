/** The `mia` command line. Thin: it parses arguments and calls the phases. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BACKEND_CHOICES, type BackendChoice } from '../ml/backend-choice.js';
import { UsageError, UserError } from './errors.js';
import { checkCommand } from './check.js';
import { fmtCommand } from './fmt.js';
import { readSpec } from './load.js';
import { attackCommand } from './attack.js';
import { cacheGcCommand } from './cache-command.js';
import { diffCommand } from './diff-command.js';
import { planCommand } from './plan-command.js';
import { parseJobs } from './prepare.js';
import { loadPluginsOrExplain } from './plugins.js';
import { runCommand } from './run.js';
import { defaultJobs } from '../run/index.js';

const USAGE = `usage: mia <command> [options]

commands:
  run FILE         check, plan and run an experiment; writes results.json
  check FILE...    check specs and print diagnostics
  fmt FILE         print a spec in the canonical layout
  plan FILE        the jobs an experiment compiles to, their dependencies, which are cached
  diff A B         what changes between two experiments (either may be REV:path, read from git)
  cache gc [DIR]   remove cache entries no experiment in DIR (default .) references
  attack --signals FILE   the scoring attacks on precomputed losses or logits (JSON, arrays inline or .npy)

options for run:
  --out DIR                             where results go (default results/<experiment>/)
  --backend auto|tfjs-node|wasm|cpu     the TensorFlow.js backend (default auto: the fastest available)
  --jobs N                              worker threads (default: the number of cores)
  --cache DIR                           the cache (default .mia/cache beside the spec)
  --no-cache                            neither read nor write the cache
  --json                                events and results as JSON lines on stdout
  --plugin FILE                         repeatable; a module that registers kinds (also for check, plan)
options for attack:
  --signals FILE                        the signals file (see README, "Bring your own signals")
  --attack KIND                         repeatable; default: every attack kind the signals allow
  --out DIR                             where results go (default results/<file name>/)
  --seed N                              seed of the bootstrap intervals (default 0)
  --rmia-a A, --gamma G                 RMIA's offline parameter a (default 0.3) and gamma (default 2)
  --json                                results.json on stdout
options for check:
  --json                                diagnostics as JSON, one line per file
options for fmt:
  --check                               exit 1 when a file is not formatted
  --write                               rewrite files in place (atomically)
options for plan:
  --format text|json|dot                (default text)
  --backend, --cache DIR, --no-cache    as for run (the backend is part of every job's hash)
options for diff:
  --format text|json                    (default text)
  --backend                             as for run
options for cache gc:
  --cache DIR                           collect this cache (default: .mia/cache beside each spec)
  --dry-run                             only say what would be removed
`;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function backendChoice(b: string): BackendChoice {
  if (!(BACKEND_CHOICES as readonly string[]).includes(b))
    throw new UsageError(`Unknown backend "${b}". Use one of: ${BACKEND_CHOICES.join(', ')}.`);
  return b as BackendChoice;
}

function cacheChoice(dir: string | undefined, none: boolean): string | null | undefined {
  if (none && dir !== undefined) throw new UsageError('--cache and --no-cache contradict each other; give one.');
  return none ? null : dir;
}

export async function main(
  argv: string[],
  out = (s: string) => void process.stdout.write(s),
  err = (s: string) => void process.stderr.write(s),
): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
    out(USAGE);
    return 0;
  }
  try {
    switch (cmd) {
      case 'run': {
        const a = parse(rest, {
          out: { type: 'string' },
          backend: { type: 'string', default: 'auto' },
          json: { type: 'boolean', default: false },
          jobs: { type: 'string' },
          cache: { type: 'string' },
          'no-cache': { type: 'boolean', default: false },
          plugin: { type: 'string', multiple: true },
        });
        const file = a.positionals[0];
        if (!file || a.positionals.length > 1) throw new UsageError('mia run takes one .mia file.');
        await loadPluginsOrExplain(a.values.plugin);
        return await runCommand(
          {
            file,
            out: a.values.out as string | undefined,
            backend: backendChoice(a.values.backend as string),
            json: a.values.json as boolean,
            version: version(),
            jobs: parseJobs(a.values.jobs as string | undefined, defaultJobs()),
            cache: cacheChoice(a.values.cache as string | undefined, a.values['no-cache'] as boolean),
          },
          out,
          err,
        );
      }
      case 'plan': {
        const a = parse(rest, {
          format: { type: 'string', default: 'text' },
          backend: { type: 'string', default: 'auto' },
          cache: { type: 'string' },
          'no-cache': { type: 'boolean', default: false },
          plugin: { type: 'string', multiple: true },
        });
        const file = a.positionals[0];
        if (!file || a.positionals.length > 1) throw new UsageError('mia plan takes one .mia file.');
        await loadPluginsOrExplain(a.values.plugin);
        return await planCommand(
          {
            file,
            format: a.values.format as string,
            backend: backendChoice(a.values.backend as string),
            cache: cacheChoice(a.values.cache as string | undefined, a.values['no-cache'] as boolean),
          },
          out,
          err,
        );
      }
      case 'diff': {
        const a = parse(rest, {
          format: { type: 'string', default: 'text' },
          backend: { type: 'string', default: 'auto' },
        });
        if (a.positionals.length !== 2) throw new UsageError('mia diff takes two .mia files (either may be REV:path).');
        return await diffCommand(
          {
            a: a.positionals[0]!,
            b: a.positionals[1]!,
            format: a.values.format as string,
            backend: backendChoice(a.values.backend as string),
          },
          out,
          err,
        );
      }
      case 'cache': {
        const [sub, ...more] = rest;
        if (sub !== 'gc')
          throw new UsageError(
            sub ? `Unknown cache command "${sub}". Use: mia cache gc [DIR].` : 'Use: mia cache gc [DIR].',
          );
        const a = parse(more, { cache: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } });
        if (a.positionals.length > 1) throw new UsageError('mia cache gc takes at most one folder.');
        return cacheGcCommand(
          {
            dir: a.positionals[0] ?? '.',
            cache: a.values.cache as string | undefined,
            dryRun: a.values['dry-run'] as boolean,
          },
          out,
          err,
        );
      }
      case 'check': {
        const a = parse(rest, {
          json: { type: 'boolean', default: false },
          plugin: { type: 'string', multiple: true },
        });
        if (a.positionals.length === 0) throw new UsageError('mia check takes one or more .mia files.');
        await loadPluginsOrExplain(a.values.plugin);
        return checkCommand(a.positionals, a.values.json as boolean, out, err);
      }
      case 'fmt': {
        const a = parse(rest, {
          check: { type: 'boolean', default: false },
          write: { type: 'boolean', default: false },
        });
        if (a.values.check && a.values.write) throw new UsageError('mia fmt takes --check or --write, not both.');
        return fmtCommand(a.positionals, a.values.check ? 'check' : a.values.write ? 'write' : 'print', out, err);
      }
      case 'attack': {
        const a = parse(rest, {
          signals: { type: 'string' },
          attack: { type: 'string', multiple: true },
          out: { type: 'string' },
          seed: { type: 'string', default: '0' },
          'rmia-a': { type: 'string', default: '0.3' },
          gamma: { type: 'string', default: '2' },
          json: { type: 'boolean', default: false },
        });
        if (a.positionals.length > 0) throw new UsageError('mia attack takes its file with --signals FILE.');
        const signals = a.values.signals as string | undefined;
        if (!signals) throw new UsageError('mia attack needs --signals FILE.');
        const num = (name: string, v: string, ok: (x: number) => boolean): number => {
          const x = Number(v);
          if (v.trim() === '' || !ok(x)) throw new UsageError(`--${name} ${v} is not valid.`);
          return x;
        };
        readSpec(signals);
        return attackCommand(
          {
            signals,
            attacks: (a.values.attack as string[] | undefined) ?? [],
            out: a.values.out as string | undefined,
            seed: num('seed', a.values.seed as string, (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32),
            a: num('rmia-a', a.values['rmia-a'] as string, (x) => x >= 0 && x <= 1),
            gamma: num('gamma', a.values.gamma as string, (x) => x > 0),
            json: a.values.json as boolean,
            version: version(),
          },
          out,
          err,
        );
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return cmd === undefined ? 2 : 0;
      case '--version':
      case '-v':
        out(`${version()}\n`);
        return 0;
      default:
        throw new UsageError(`Unknown command "${cmd}".`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`mia: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof UserError) {
      err(`mia: ${e.message}\n`);
      return 1;
    }
    const fs = fileSystemProblem(e);
    if (fs) {
      err(`mia: ${fs}\n`);
      return 1;
    }
    throw e;
  }
}

const FS_CODES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EEXIST: 'a file is in the way',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'no such file or folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
};

/** A file-system error a user can cause (an unwritable --out, a file where a folder should be), said plainly. */
function fileSystemProblem(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const { code, path, syscall } = e as NodeJS.ErrnoException;
  if (!code || !(code in FS_CODES) || !path) return null;
  const verb =
    syscall === 'open' || syscall === 'rename' || syscall === 'mkdir' || syscall === 'write'
      ? 'cannot write'
      : 'cannot use';
  return `${verb} ${path}: ${FS_CODES[code]} (${code}). Choose another path, or fix its permissions.`;
}

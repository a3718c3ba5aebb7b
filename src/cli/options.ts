/** Options and value checks several commands share. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BACKEND_CHOICES, type BackendChoice } from '../ml/backend-choice.js';
import { UsageError } from './errors.js';

export const backendOption = {
  type: 'string',
  default: 'auto',
  value: BACKEND_CHOICES.join('|'),
  help: 'the TensorFlow.js backend; auto: the fastest available',
} as const;

export const cacheOptions = {
  cache: { type: 'string', value: 'DIR', help: 'the cache (default .mia/cache beside the spec)' },
  'no-cache': { type: 'boolean', default: false, help: 'neither read nor write the cache' },
} as const;

/** --plugin FILE (repeatable): modules that register kinds, loaded before the command runs (and in each worker). */
export const pluginOption = {
  plugin: {
    type: 'string',
    multiple: true,
    value: 'FILE',
    help: 'a module that registers kinds (registerAttack, ...); repeatable',
  },
} as const;

export function backendChoice(b: string): BackendChoice {
  const choice = BACKEND_CHOICES.find((c) => c === b);
  if (choice === undefined) throw new UsageError(`Unknown backend "${b}". Use one of: ${BACKEND_CHOICES.join(', ')}.`);
  return choice;
}

/** --cache DIR, --no-cache (null), or neither (undefined: the default beside the spec). */
export function cacheChoice(dir: string | undefined, none: boolean): string | null | undefined {
  if (none && dir !== undefined) throw new UsageError('--cache and --no-cache contradict each other; give one.');
  return none ? null : dir;
}

/**
 * A numeric option's value: a finite number for which `ok` holds, or a usage error naming the flag, the value given
 * and what to give instead. `what` is a noun phrase ("a number in (0, 1)").
 */
export function numberOption(flag: string, v: string | undefined, ok: (x: number) => boolean, what: string): number {
  if (v === undefined) throw new UsageError(`--${flag} is missing: give ${what}.`);
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || !ok(x))
    throw new UsageError(`--${flag} ${v} is not valid: give ${what}.`);
  return x;
}

/** The one positional a command takes, or a usage error saying what it takes. */
export function onePositional(positionals: readonly string[], message: string): string {
  const [only] = positionals;
  if (only === undefined || positionals.length > 1) throw new UsageError(message);
  return only;
}

export function version(): string {
  try {
    const pkg: unknown = JSON.parse(
      readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
    );
    return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string'
      ? pkg.version
      : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

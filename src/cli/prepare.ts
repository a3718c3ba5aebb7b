/** Option values shared by run and plan; the preparation itself is the pipeline's (re-exported here). */
import { availableParallelism } from 'node:os';
import { UsageError } from './errors.js';

export {
  backendOrExplain,
  datasetInfos,
  defaultCacheDir,
} from '../pipeline/index.js';

/** Parses --jobs: a whole number of at least 1. */
export function parseJobs(v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 1)
    throw new UsageError(`--jobs takes a whole number of at least 1, not "${v}".`);
  return n;
}

/** More workers than cores only contend for them: --jobs is capped at the core count, with a warning. */
export function capJobs(n: number, warn: (s: string) => void, cores = availableParallelism()): number {
  if (n <= cores) return n;
  warn(`mia: --jobs ${n} is more than the ${cores} core${cores === 1 ? '' : 's'} here; using ${cores}.\n`);
  return cores;
}

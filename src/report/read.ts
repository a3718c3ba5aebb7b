/** Reads results.json back (mia report, mia compare): a missing or foreign file is the user's error, said plainly. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultsJson } from './results.js';

export class ResultsReadError extends Error {}

/** `where` is a results folder or a results.json file. */
export function readResults(where: string): { path: string; results: ResultsJson } {
  const path = existsSync(where) && statSync(where).isDirectory() ? join(where, 'results.json') : where;
  if (!existsSync(path))
    throw new ResultsReadError(
      `${path} does not exist. Give the folder a run wrote (mia run --out DIR), or its results.json.`,
    );
  let r: unknown;
  try {
    r = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ResultsReadError(`${path} is not JSON (${(e as Error).message}).`);
  }
  const ok =
    typeof r === 'object' &&
    r !== null &&
    typeof (r as ResultsJson).experiment === 'string' &&
    Array.isArray((r as ResultsJson).runs) &&
    (r as ResultsJson).runs.every((run) => Array.isArray(run?.attacks) && typeof run.target === 'object');
  if (!ok) throw new ResultsReadError(`${path} is not a mia results.json (no experiment and runs).`);
  return { path, results: r as ResultsJson };
}

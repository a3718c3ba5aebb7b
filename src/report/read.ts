/**
 * Reads results.json back (mia report, mia compare): a missing, foreign or malformed file is the user's
 * error, said plainly in one line that names the first wrong field; nothing reads a file that does not
 * match its schema (results-schema.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultsJson } from './results.js';
import { resultsProblem } from './results-schema.js';

export class ResultsReadError extends Error {}

/** The largest results.json read back: parsing takes several times its size in memory. */
export const MAX_RESULTS_BYTES = 256 * 1024 * 1024;

/** `where` is a results folder or a results.json file. */
export function readResults(where: string): { path: string; results: ResultsJson } {
  const path = existsSync(where) && statSync(where).isDirectory() ? join(where, 'results.json') : where;
  if (!existsSync(path))
    throw new ResultsReadError(
      `${path} does not exist. Give the folder a run wrote (mia run --out DIR), or its results.json.`,
    );
  const st = statSync(path);
  if (!st.isFile()) throw new ResultsReadError(`${path} is not a regular file. Give the results.json a run wrote.`);
  if (st.size > MAX_RESULTS_BYTES)
    throw new ResultsReadError(
      `${path} is ${(st.size / 2 ** 20).toFixed(0)} MiB; mia reads results files up to ${MAX_RESULTS_BYTES / 2 ** 20} MiB.`,
    );
  let r: unknown;
  try {
    r = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ResultsReadError(`${path} is not JSON (${(e as Error).message}).`);
  }
  const problem = resultsProblem(r);
  if (problem) throw new ResultsReadError(`${path}: ${problem}. This is not a results.json as mia run writes it.`);
  return { path, results: r as ResultsJson };
}

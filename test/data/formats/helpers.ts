import { expect } from 'vitest';
import { DataError } from '../../../src/data/index.js';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..', '..', '..');

/** A fresh temporary folder. */
export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'mia-formats-'));

/** Writes `content` to `name` in `dir` and returns the path. */
export function put(dir: string, name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** The shared Adult file, at ../shared from the project root (or ../../shared from a worktree under wt/), or null. */
export function adultPath(): string | null {
  for (const up of ['..', join('..', '..')]) {
    const p = resolve(root, up, 'shared', 'datasets', 'adult', 'adult.csv');
    if (existsSync(p)) return p;
  }
  return null;
}

/** The DataError that `f` throws (the test fails if it throws nothing or something else). */
export function dataErrorOf(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

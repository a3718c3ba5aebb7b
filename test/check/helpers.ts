import type { ModuleHost } from '../../src/check/index.js';
import { loadSource } from '../../src/cli/load.js';
import type { Diagnostic } from '../../src/lang/index.js';

/** A valid experiment; tests add to it or replace parts of it. */
export const BASE = `experiment t { seed 1 }
dataset digits = mnist
model mlp {
  layers [dense(16, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 2, batch: 32 }
}
target victim { model mlp, members digits.take(100), nonmembers digits.take(100) }
shadows refs { model mlp, count 4, pool digits.rest, size 100 }
attack loss = threshold { signal: loss }
`;

export const memoryHost = (files: Record<string, string>): ModuleHost => ({
  resolve: (from, spec) => {
    const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
    const parts = `${dir}${spec}`.split('/');
    const out: string[] = [];
    for (const p of parts) {
      if (p === '..') out.pop();
      else if (p !== '.') out.push(p);
    }
    return out.join('/');
  },
  read: (f) => files[f],
});

export function check(src: string, files: Record<string, string> = {}): Diagnostic[] {
  return loadSource('spec.mia', src, memoryHost(files)).diagnostics;
}

export const errorsOf = (src: string, code: string, files: Record<string, string> = {}): Diagnostic[] =>
  check(src, files).filter((d) => d.code === code);

/** Line and column (1-based) of the first occurrence of needle in src (after `from`, if given). */
export function pos(src: string, needle: string, from = 0): { line: number; column: number } {
  const i = src.indexOf(needle, from);
  if (i < 0) throw new Error(`"${needle}" not in source`);
  const before = src.slice(0, i).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

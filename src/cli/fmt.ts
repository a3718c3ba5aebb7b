/**
 * `mia fmt FILE [--check | --write]`: print the file in the canonical layout (stdout), report whether
 * it is already formatted (--check: exit 1 when not), or rewrite it in place, atomically (--write).
 * A file with syntax errors is not formatted: its errors are printed and the exit code is 1.
 */
import { formatDiagnostic, hasErrors, parse, print } from '../lang/index.js';
import { statSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic.js';
import { readSpec } from '../pipeline/index.js';
import { defineCommand } from './command.js';
import { UsageError } from './errors.js';

export type FmtMode = 'print' | 'check' | 'write';

/** The canonical text of a source, or the syntax errors that prevent formatting it. */
export function formatSource(source: string, file: string): { text: string } | { errors: string[] } {
  const parsed = parse(source, file);
  if (hasErrors(parsed.diagnostics)) return { errors: parsed.diagnostics.map((d) => formatDiagnostic(d, source)) };
  return { text: print(parsed.value) };
}

export function fmtCommand(
  files: readonly string[],
  mode: FmtMode,
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  if (files.length === 0) throw new UsageError('mia fmt takes a .mia file.');
  if (mode === 'print' && files.length > 1)
    throw new UsageError('mia fmt prints one file; use --check or --write for several.');
  let code = 0;
  for (const file of files) {
    const source = readSpec(file);
    const r = formatSource(source, file);
    if ('errors' in r) {
      for (const e of r.errors) err(`${e}\n\n`);
      err(`${file}: not formatted: fix the syntax errors first\n`);
      code = 1;
      continue;
    }
    if (mode === 'print') out(r.text);
    else if (mode === 'check') {
      if (r.text !== source) {
        err(`${file}: not formatted (run mia fmt --write ${file})\n`);
        code = 1;
      } else out(`${file}: formatted\n`);
    } else if (r.text !== source) {
      // Write bits are checked by hand: root may write anything, but a file marked read-only is meant to stay as it is.
      if ((statSync(file).mode & 0o222) === 0) {
        err(`${file}: not formatted: the file is read-only\n`);
        code = 1;
        continue;
      }
      writeFileAtomic(file, r.text);
      out(`${file}: formatted\n`);
    }
  }
  return code;
}

export const fmtCli = defineCommand({
  name: 'fmt',
  summary: 'print a spec in the canonical layout',
  usage: 'FILE... [options]',
  options: {
    check: { type: 'boolean', default: false, help: 'exit 1 when a file is not formatted' },
    write: { type: 'boolean', default: false, help: 'rewrite files in place (atomically)' },
  },
  run: ({ values: v, positionals }, io) => {
    if (v.check && v.write) throw new UsageError('mia fmt takes --check or --write, not both.');
    return fmtCommand(positionals, v.check ? 'check' : v.write ? 'write' : 'print', io.out, io.err);
  },
});

/**
 * Chevrotain, loaded from the single ES module its package ships (`lib/chevrotain.mjs`). The package's entry
 * (`lib/src/api.js`) imports lodash-es file by file, 640 modules that cost every `mia` command about half a
 * second of CPU before it does anything; the single module is the same code (same version, same package) and
 * loads in a tenth of that. The package's exports map does not list it, so it is found beside the resolved
 * entry; a package without it (another layout) falls back to the entry.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Chevrotain from 'chevrotain';

function singleModule(): string {
  const entry = createRequire(import.meta.url).resolve('chevrotain');
  const file = join(dirname(entry), '..', 'chevrotain.mjs');
  return existsSync(file) ? pathToFileURL(file).href : 'chevrotain';
}

const chevrotain: typeof Chevrotain = await import(singleModule());

export const { createToken, Lexer, CstParser } = chevrotain;

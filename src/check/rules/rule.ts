/** A check rule: one concern, one file, run over the draft program in the single checking pass. */
import type { Code } from '../../lang/codes.js';
import type { Diagnostic, Item, Range } from '../../lang/index.js';
import type { Locations, Place } from '../locations.js';
import type { Decl, Declared } from '../read/context.js';
import type { Draft, SourceItem } from '../read/index.js';

export interface RuleContext {
  /** The main file. */
  file: string;
  /** Every definition that read cleanly (the main file's and its imports'). */
  program: Draft;
  loc: Locations;
  /** The first declaration of each name, over all files (recovered ones included). */
  decls: ReadonlyMap<string, Decl>;
  /** Every item that parsed cleanly, over all files, with its file. */
  items: readonly SourceItem[];
  /** The whole main file (for "the file declares no ..."). */
  whole: Range;
  /** The main file had syntax errors: what it declares is not known, so "declares no ..." is not said. */
  parseRecovered: boolean;
  error(code: Code, message: string, at: Place | undefined, hint?: string): void;
  warn(code: Code, message: string, at: Place | undefined, hint?: string): void;
}

export interface Rule {
  name: string;
  /** The codes it reports: its own (src/lang/codes.ts names it their owner) and those of the descriptors it runs. */
  codes: readonly Code[];
  run(ctx: RuleContext): void;
}

export function makeContext(base: Omit<RuleContext, 'error' | 'warn'>, out: Diagnostic[]): RuleContext {
  const push =
    (severity: Diagnostic['severity']) =>
    (code: Code, message: string, at: Place | undefined, hint?: string): void => {
      const place = at ?? { file: base.file, range: base.whole };
      out.push({ code, severity, message, file: place.file, range: place.range, ...(hint ? { hint } : {}) });
    };
  return { ...base, error: push('error'), warn: push('warning') };
}

export type { Declared, Item };

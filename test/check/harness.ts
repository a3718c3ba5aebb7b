/**
 * A one-rule harness: parse a spec (and the files it imports), read it, and run ONE rule of
 * src/check/rules/ on what read cleanly, the way the checker's single pass does. A rule's test sees that
 * rule's diagnostics only, not the whole checker's filtered by code (several files may emit one code).
 * A code the rule does not list in its `codes` fails the test. What the rule reports at sweep points and
 * the program-wide checks are the whole checker's (helpers.ts).
 */
import { loadImports } from '../../src/check/modules.js';
import { readForRules } from '../../src/check/check.js';
import type { Rule } from '../../src/check/rules/index.js';
import { parse, type Code, type Diagnostic } from '../../src/lang/index.js';
import { memoryHost } from './helpers.js';

/** The diagnostics `rule` reports on `src` (imports read from `files`), in the checker's order. */
export function checkRule(
  rule: Rule,
  src: string,
  files: Record<string, string> = {},
  file = 'spec.mia',
): Diagnostic[] {
  const ast = parse(src, file).value;
  const imported = loadImports({ file, source: src, ast }, memoryHost(files));
  const out: Diagnostic[] = [];
  const { ctx } = readForRules(ast, file, imported.modules, out);
  rule.run(ctx);
  const stray = out.filter((d) => !rule.codes.includes(d.code));
  if (stray.length)
    throw new Error(`Rule ${rule.name} reported ${stray.map((d) => d.code).join(', ')}, not in its codes.`);
  const order = (d: Diagnostic): [number, number] => [d.file === file ? 0 : 1, d.range.start.offset];
  return out.sort((a, b) => {
    const [fa, oa] = order(a);
    const [fb, ob] = order(b);
    return fa - fb || a.file.localeCompare(b.file) || oa - ob;
  });
}

/** The diagnostics of one code that `rule` reports (for a rule that emits several). */
export const ruleErrors =
  (rule: Rule) =>
  (src: string, code: Code, files: Record<string, string> = {}): Diagnostic[] =>
    checkRule(rule, src, files).filter((d) => d.code === code);

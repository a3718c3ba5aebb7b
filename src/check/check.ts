/**
 * check: AST (+ the ASTs of its imports) → typed program. Phases, in order:
 * 1. read (read/): every declaration into its typed definition, with the ranges of its fields; shape
 *    errors (unknown settings, wrong types, unknown kinds, "did you mean"). Recovered items are skipped.
 * 2. rules (rules/): one concern per file, run in one pass over what read cleanly.
 * 3. program checks: whole-program checks that need a complete typed program (the sweep paths).
 * The typed program is returned only when there is no error.
 */
import type { Diagnostic, Program, Result } from '../lang/index.js';
import { subsetSize } from './facts.js';
import type { Module } from './modules.js';
import type { TypedProgram } from '../kinds/program.js';
import { readProgram } from './read/index.js';
import { DEFAULT_METRICS } from './read/report.js';
import { makeContext, rules } from './rules/index.js';
import { planSizeRule } from './rules/plan-size.js';
import { checkSweep } from './sweep.js';
import { checkSweepPoints } from './sweep-points.js';

/** Checks that need the complete typed program; the sweep-path check (src/check/sweep.ts) belongs here. */
const programChecks: readonly ((p: TypedProgram) => Diagnostic[])[] = [checkSweep];

/**
 * Step 1 of the checker: the program read, and the context its rules run in (their diagnostics go to
 * `diagnostics`; the reader's stay in `read.reader.diagnostics`). The one-rule test harness starts here too.
 */
export function readForRules(
  ast: Program,
  file: string,
  imports: readonly Pick<Module, 'file' | 'ast'>[],
  diagnostics: Diagnostic[],
) {
  const read = readProgram({ file, ast }, imports);
  const ctx = makeContext(
    {
      file,
      program: read.draft,
      loc: read.loc,
      decls: read.decls,
      items: read.items,
      whole: ast.range,
      parseRecovered: ast.recovered === true,
    },
    diagnostics,
  );
  return { read, ctx };
}

export function check(
  ast: Program,
  file: string,
  imports: readonly Pick<Module, 'file' | 'ast'>[] = [],
): Result<TypedProgram | null> {
  const diagnostics: Diagnostic[] = [];
  const { read, ctx } = readForRules(ast, file, imports, diagnostics);
  diagnostics.unshift(...read.reader.diagnostics);
  for (const rule of rules) rule.run(ctx);

  const d = read.draft;
  const shadows = d.shadows.map((s) =>
    s.source === undefined && s.sampling === 'half' && s.size === 0
      ? { ...s, size: Math.floor((subsetSize(d, s.pool)?.n ?? 0) / 2) }
      : s,
  );
  const value: TypedProgram = {
    file,
    experiment: d.experiment ?? { name: 'experiment', seed: 0 },
    datasets: d.datasets,
    models: d.models,
    targets: d.targets,
    shadows,
    attacks: d.attacks,
    sweep: d.sweep,
    report: d.report ?? { metrics: DEFAULT_METRICS.slice(), plots: [] },
  };
  if (!diagnostics.some((x) => x.severity === 'error')) for (const c of programChecks) diagnostics.push(...c(value));
  // The plan's size, after the sweep's own checks (so a sweep value out of its bounds is E603 at the value, not
  // only a plan too large), and before the sweep's points are expanded.
  planSizeRule.run(ctx);
  if (!diagnostics.some((x) => x.severity === 'error'))
    diagnostics.push(...checkSweepPoints(value, read.loc, { ...ctx, parseRecovered: ctx.parseRecovered }, diagnostics));
  const order = (x: Diagnostic): [number, number] => [x.file === file ? 0 : 1, x.range.start.offset];
  diagnostics.sort((a, b) => {
    const [fa, oa] = order(a);
    const [fb, ob] = order(b);
    return fa - fb || a.file.localeCompare(b.file) || oa - ob;
  });
  return { value: diagnostics.some((x) => x.severity === 'error') ? null : value, diagnostics };
}

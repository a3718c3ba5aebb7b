/**
 * `--defense top_k(3) --defense rounding(2)`: output defenses read exactly as a spec's `defenses [...]`
 * is read and checked (the same parser, schemas, bounds and rules, so the same codes and messages), by
 * checking them inside a small spec whose data has the served model's classes (E164 knows them). Each
 * argument sits on its own line, so every diagnostic maps back to the argument it is about. Only defenses
 * with a release transform apply to a served model; they compose in the order given, as in a run.
 */
import { defenseKinds, defenseOf } from '../../defenses/index.js';
import { releaseOf } from '../../check/index.js';
import type { Release } from '../../kinds/output-release.js';
import type { Diagnostic } from '../../lang/index.js';
import { visible } from '../../lang/visible.js';
import { loadSource, UsageError } from '../../pipeline/index.js';

const FILE = '--defense';

/** The spec the arguments are checked in; defenses start on line FIRST (1-based), one per line. */
function specText(args: readonly string[], classes: number): string {
  return [
    'experiment serve { seed 0 }',
    `dataset d = synthetic_purchase { records: 4, features: 1, classes: ${Math.max(2, classes)} }`,
    'model m { layers [dense(classes, softmax)], train { optimizer: adam(0.001), epochs: 1, batch: 1 } }',
    'target served {',
    '  model m, members d.take(2), nonmembers d.take(2)',
    '  defenses [',
    ...args.map((a) => `    ${a}`),
    '  ]',
    '}',
    'attack a = label_only { method: gap }',
    '',
  ].join('\n');
}
const FIRST = 7;

/** A diagnostic about argument `i` (its column within it), as one line. */
function said(d: Diagnostic, args: readonly string[]): string {
  const i = d.range.start.line - FIRST;
  const arg = args[i];
  const head = `${FILE} ${visible(JSON.stringify(arg ?? args.join(' ')))}`;
  return `${head}: ${d.severity}[${d.code}]: ${visible(d.message)}${d.hint ? ` ${visible(d.hint)}` : ''}`;
}

const releasing = (): string =>
  defenseKinds()
    .filter((d) => d.release)
    .map((d) => d.kind)
    .join(', ');

/**
 * The release of `args` for a model of `classes` classes, and the warnings to print; a UsageError (one
 * line: the first error and how many more) when an argument is not an output defense mia serve can apply.
 */
export function servedRelease(args: readonly string[], classes: number): { release: Release; warnings: string[] } {
  if (args.length === 0) return { release: { kind: 'probabilities' }, warnings: [] };
  const bad = args.findIndex((a) => /[\r\n]/.test(a) || a.trim() === '');
  if (bad >= 0) throw new UsageError(`${FILE} ${visible(JSON.stringify(args[bad]))} must be one defense on one line.`);
  const loaded = loadSource(FILE, specText(args, classes));
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length)
    throw new UsageError(
      `${said(errors[0]!, args)}${errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : ''}`,
    );
  const target = loaded.program?.targets[0];
  if (!target || target.defenses.length !== args.length)
    throw new UsageError(`${FILE}: give one defense per --defense, e.g. --defense top_k(3) --defense rounding(2).`);
  target.defenses.forEach((d, i) => {
    if (defenseOf(d).release) return;
    const why = defenseOf(d).perturb
      ? 'it fits a classifier on the members and reference records in a job of its own'
      : 'it changes how a model trains';
    throw new UsageError(
      `${FILE} ${visible(JSON.stringify(args[i]))}: the ${d.kind} defense cannot be applied by mia serve: ${why}. ` +
        `mia serve applies output defenses with a release transform: ${releasing()}.`,
    );
  });
  const warnings = loaded.diagnostics.filter((d) => d.severity === 'warning').map((d) => said(d, args));
  return { release: releaseOf(target), warnings };
}

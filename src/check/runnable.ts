/**
 * What `mia run` can execute today. Constructs that parse and check but whose execution is still to
 * come are refused here with a "not supported yet" error that names the construct and its place,
 * never a crash later on. Each entry goes away as its execution lands.
 *
 * Runs today: data sources whose descriptor can `load` (src/data/sources/; subsets take, rest, sample, classes);
 * local, imported and remote targets (one or several, on one dataset), with defenses whose descriptor can `apply`,
 * `release` or `perturb`;
 * dense, conv2d, max_pool, avg_pool, flatten, dropout, batch_norm and activation layers; adam, sgd and
 * rmsprop; shadows sampled overlapping or disjoint; threshold attacks (global calibration) and
 * shadow_model attacks (logistic classifier on sorted posteriors); metrics and plots in the report.
 */
import { sourceOf } from '../data/sources/index.js';
import { defenseOf } from '../defenses/index.js';
import type { Diagnostic } from '../lang/index.js';
import type { TypedProgram } from '../kinds/program.js';

export function unsupportedForRun(p: TypedProgram): Diagnostic[] {
  const out: Diagnostic[] = [];
  const no = (what: string, range: Diagnostic['range'], file = p.file, hint?: string): void => {
    out.push({
      code: 'E900',
      severity: 'error',
      file,
      range,
      message: `${what} is not supported by mia run yet.`,
      ...(hint ? { hint } : {}),
    });
  };
  const top = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
  if (p.targets.length === 0) {
    out.push({
      code: 'E901',
      severity: 'error',
      file: p.file,
      range: top,
      message: 'The file declares no experiment to run (no target): it is a library of declarations.',
      hint: 'Import it from an experiment file and run that one.',
    });
    return out;
  }
  for (const d of p.datasets)
    if (!sourceOf(d.source).load && !sourceOf(d.source).synthesis)
      no(`The data source "${d.source.kind}" (dataset "${d.name}")`, d.range, d.file);
  for (const t of p.targets) {
    for (const d of t.defenses)
      if (!defenseOf(d).apply && !defenseOf(d).release && !defenseOf(d).perturb)
        no(`The defense "${d.kind}" (target "${t.name}")`, d.range, d.file);
  }
  return out;
}

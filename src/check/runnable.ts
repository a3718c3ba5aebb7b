/**
 * What `mia run` can execute today. Constructs that parse and check but whose execution is still to
 * come are refused here with a "not supported yet" error that names the construct and its place,
 * never a crash later on. Each entry goes away as its execution lands.
 */
import type { Diagnostic } from '../lang/index.js';
import type { TypedProgram } from './program.js';

export function unsupportedForRun(p: TypedProgram): Diagnostic[] {
  const out: Diagnostic[] = [];
  const no = (what: string, range: Diagnostic['range'], hint?: string): void => {
    out.push({ code: 'E900', severity: 'error', file: p.file, range, message: `${what} is not supported by mia run yet.`, ...(hint ? { hint } : {}) });
  };
  for (const d of p.datasets) if (d.source.kind !== 'mnist') no(`The data source "${d.source.kind}"`, d.range);
  for (const t of p.targets) {
    if (t.kind !== 'local') no(`A ${t.kind} target`, t.range);
    for (const d of t.defenses) no(`The defense "${d.kind}"`, d.range);
  }
  if (p.targets.length > 1) no('More than one target', p.targets[1]!.range);
  for (const m of p.models) {
    if (m.train.l2 > 0) no('Training with l2', m.range);
    if (m.train.earlyStopping) no('Training with early_stopping', m.range);
    if (m.train.labelSmoothing > 0) no('Training with label_smoothing', m.range);
  }
  for (const a of p.attacks) {
    if (a.kind !== 'threshold' && a.kind !== 'shadow_model') no(`The ${a.kind} attack`, a.range);
    if (a.kind === 'threshold' && a.calibration !== 'global') no('A per-class calibrated threshold attack', a.range);
    if (a.kind === 'shadow_model' && (a.classifier !== 'logistic' || a.features !== 'sorted')) no('A shadow-model attack with an MLP classifier or full posteriors', a.range);
  }
  for (const s of p.shadows) if (s.sampling === 'half') no('Shadows sampled half', s.range);
  return out;
}

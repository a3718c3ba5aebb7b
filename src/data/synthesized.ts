/**
 * What the phases ask of a synthesised source, read off its schema (no test of its kind): the subset
 * whose statistics it is given (its setting of type data), the target it queries (of type target),
 * and hence its base, the dataset whose records' shape and classes its records take.
 */
import type { DataRef, DatasetDef, TypedProgram } from '../kinds/program.js';
import { sourceOf } from './sources/index.js';

type Def = Pick<DatasetDef, 'source'>;

const valueOfType = (d: Def, type: string): unknown => {
  const k = Object.entries(sourceOf(d.source).settings).find(([, s]) => s.type === type)?.[0];
  return k === undefined ? null : (d.source.settings[k] ?? null);
};

/** The records whose statistics a synthesised source is given, if any. */
export const synthesisStatistics = (d: Def): DataRef | null => {
  const v = valueOfType(d, 'data');
  return typeof v === 'object' && v !== null && 'dataset' in v ? (v as DataRef) : null;
};

/** The target a synthesised source queries, if any. */
export const synthesisTarget = (d: Def): string | null => {
  const v = valueOfType(d, 'target');
  return typeof v === 'string' ? v : null;
};

/** The dataset a synthesised source's records are shaped after: its statistics', or its target's members'. */
export function synthesisBase(p: Pick<TypedProgram, 'targets'>, d: Def): string | null {
  const stats = synthesisStatistics(d);
  if (stats) return stats.dataset;
  const t = synthesisTarget(d);
  return p.targets.find((x) => x.name === t)?.members.dataset ?? null;
}

/**
 * What can be known about data before loading it, as each source's descriptor says: whether it holds
 * images or tabular records, and how many records it has (files: unknown until read), hence the size
 * of subsets such as `digits.rest`.
 */
import { attackDataRefs, isDataRef } from '../attacks/needs.js';
import type { Modality } from '../data/source.js';
import { sourceOf } from '../data/sources/index.js';
import type { DataRef, DatasetDef, DatasetSource, TypedProgram } from '../kinds/program.js';

export type { Modality };

/** Images or tabular records, as the source's descriptor says. */
export const modality = (s: DatasetSource): Modality => sourceOf(s).modality(s.settings);

/** The number of records of a source, when known without reading files. */
export const recordCount = (s: DatasetSource): number | null => sourceOf(s).records?.(s.settings) ?? null;

/**
 * Every subset the program uses, in source order (the order `take`s are served in). A target's members
 * (or non-members) written as an earlier target's are the same records (several targets compared on
 * the same data, src/plan/compile-point.ts), so they count once.
 */
export function dataRefs(
  p: Pick<TypedProgram, 'targets' | 'shadows' | 'attacks'> & { datasets?: DatasetDef[] },
): { ref: DataRef; role: string }[] {
  const out: { ref: DataRef; role: string }[] = [];
  const seen = new Set<string>();
  const once = (role: string, ref: DataRef): boolean => {
    const k = JSON.stringify([role, ref.dataset, ref.ops]);
    return !seen.has(k) && !!seen.add(k);
  };
  for (const t of p.targets) {
    if (once('members', t.members)) out.push({ ref: t.members, role: `the members of target "${t.name}"` });
    if (once('nonmembers', t.nonmembers))
      out.push({ ref: t.nonmembers, role: `the non-members of target "${t.name}"` });
  }
  for (const t of p.targets)
    if (t.canaries) out.push({ ref: t.canaries.data, role: `the canaries of target "${t.name}"` });
  for (const s of p.shadows) if (s.pool) out.push({ ref: s.pool, role: `the pool of shadows "${s.name}"` });
  for (const d of p.datasets ?? [])
    for (const [k, v] of Object.entries(sourceOf(d.source).settings))
      if (v.type === 'data' && isDataRef(d.source.settings[k] ?? null))
        out.push({ ref: d.source.settings[k] as DataRef, role: `the ${k} of dataset "${d.name}"` });
  for (const a of p.attacks)
    for (const { setting, ref } of attackDataRefs(a)) out.push({ ref, role: `the ${setting} of attack "${a.name}"` });
  return out.sort((x, y) => x.ref.range.start.offset - y.ref.range.start.offset);
}

export const fmtN = (n: number): string => n.toLocaleString('en-US');

export interface SubsetSize {
  n: number;
  how: string;
}

/** The number of records a subset holds, when it is known statically (no class filter, known dataset size). */
export function subsetSize(
  p: Pick<TypedProgram, 'datasets' | 'targets' | 'shadows' | 'attacks'>,
  ref: DataRef,
): SubsetSize | null {
  const ds = p.datasets.find((d) => d.name === ref.dataset);
  if (!ds) return null;
  const total = recordCount(ds.source);
  if (ref.ops.some((o) => o.op === 'classes')) return null;
  const op = ref.ops[0];
  if (!op) return total === null ? null : { n: total, how: `all of "${ds.name}"` };
  switch (op.op) {
    case 'take':
    case 'sample':
      return { n: op.n, how: `${ds.name}.${op.op}(${op.n})` };
    case 'rest': {
      if (total === null) return null;
      const taken = takenFrom(p, ds);
      return {
        n: Math.max(0, total - taken),
        how: `${ds.name}.rest: ${fmtN(total)} records minus ${fmtN(taken)} taken`,
      };
    }
    case 'taken': {
      const taken = takenFrom(p, ds);
      return { n: taken, how: `${ds.name}.taken: the ${fmtN(taken)} records its takes claim` };
    }
    case 'classes':
    case 'members': // known once the membership column is read
    case 'nonmembers':
      return null;
  }
}

export function takenFrom(
  p: Pick<TypedProgram, 'datasets' | 'targets' | 'shadows' | 'attacks'>,
  ds: DatasetDef,
): number {
  let n = 0;
  for (const { ref } of dataRefs(p)) if (ref.dataset === ds.name && ref.ops[0]?.op === 'take') n += ref.ops[0].n;
  return n;
}

/**
 * A target whose members and non-members are two whole datasets (`members train, nonmembers held_out`:
 * the records the user trained on, and others) is attacked on one dataset holding both, named
 * `train+held_out`: the first's records, then the second's. Its subsets index that joined dataset.
 */
import type { TargetDef, TypedProgram } from '../check/index.js';
import { errorAt } from './compile-common.js';
import { contentHash } from './hash.js';
import type { DatasetInfo } from './plan.js';

/** The dataset a target is attacked on: its members' and non-members' one, or the two joined. */
export function targetDataset(t: TargetDef): string {
  const m = t.members.dataset;
  const n = t.nonmembers.dataset;
  return m === n ? m : `${m}+${n}`;
}

/** Where each part's records start in the joined dataset `name` (an empty map for a plain dataset). */
export function partOffsets(name: string, datasets: readonly DatasetInfo[]): Map<string, number> {
  const info = datasets.find((d) => d.name === name);
  const out = new Map<string, number>();
  let at = 0;
  for (const p of info?.parts ?? []) {
    out.set(p.name, at);
    at += datasets.find((d) => d.name === p.name)!.n;
  }
  return out;
}

/** `infos` and, for each target on two whole datasets, their joined dataset (checked: same shape, no normalisation). */
export function withJoinedDatasets(program: TypedProgram, infos: DatasetInfo[]): DatasetInfo[] {
  const out = [...infos];
  for (const t of program.targets) {
    const name = targetDataset(t);
    if (name === t.members.dataset || out.some((d) => d.name === name)) continue;
    if (t.members.ops.length || t.nonmembers.ops.length)
      throw errorAt(
        'E403',
        `The members and non-members of target "${t.name}" come from two datasets, so each must be a whole dataset (as "members ${t.members.dataset}, nonmembers ${t.nonmembers.dataset}"); or take both from one dataset.`,
        t,
        t.nonmembers.range,
      );
    const a = infos.find((d) => d.name === t.members.dataset);
    const b = infos.find((d) => d.name === t.nonmembers.dataset);
    if (!a || !b || a.synthetic || b.synthetic) continue; // reported where the target's dataset is looked up
    if (a.shape.join() !== b.shape.join())
      throw errorAt(
        'E403',
        `The members of target "${t.name}" ("${a.name}") are records of shape [${a.shape.join(', ')}], its non-members ("${b.name}") [${b.shape.join(', ')}]; they must be alike.`,
        t,
        t.nonmembers.range,
      );
    for (const d of [a, b]) {
      const norm = d.source.settings?.normalize;
      if (typeof norm === 'string' && norm !== 'none')
        throw errorAt(
          'E403',
          `Dataset "${d.name}" is normalised (normalize: ${norm}) on its own records, so the members and non-members of target "${t.name}" would be scaled differently; give it normalize: none (and the records as the model takes them).`,
          t,
          d === a ? t.members.range : t.nonmembers.range,
        );
    }
    out.push(joined(name, a, b));
  }
  return out;
}

function joined(name: string, a: DatasetInfo, b: DatasetInfo): DatasetInfo {
  const labels = new Int32Array(a.n + b.n);
  if (a.labels) labels.set(a.labels);
  if (b.labels) labels.set(b.labels, a.n);
  const part = (d: DatasetInfo) => ({ name: d.name, source: d.source, ...(d.context ? { context: d.context } : {}) });
  const key = contentHash({ joined: [a.context?.key ?? a.source, b.context?.key ?? b.source] });
  return {
    name,
    source: a.source,
    n: a.n + b.n,
    classes: Math.max(a.classes, b.classes),
    shape: a.shape,
    labels,
    context: { ...(a.context ?? { dir: process.cwd(), cacheDir: '.mia/cache', seed: 0 }), key },
    parts: [part(a), part(b)],
  };
}

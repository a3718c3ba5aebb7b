/**
 * A target whose members and non-members are two whole datasets (`members train, nonmembers held_out`:
 * the records the user trained on, and others) is attacked on one dataset holding both, named
 * `train+held_out`: the first's records, then the second's. Its subsets index that joined dataset. A whole
 * dataset an attack names as its population (`rmia { population: pop }`) is joined after them
 * (`train+held_out+pop`): records neither member nor non-member, which the models answer on too.
 */
import { attackPopulation } from '../attacks/needs.js';
import type { AttackDef, TargetDef, TypedProgram } from '../check/index.js';
import { errorAt } from './compile-common.js';
import { contentHash } from './hash.js';
import type { DatasetInfo } from './plan.js';

/**
 * Whole datasets that attacks name as their population (`rmia { population: pop }`) beside a target on two
 * whole datasets: records neither member nor non-member, joined after them (so the target and reference
 * models from files answer on them too).
 */
function populationParts(t: TargetDef, attacks: readonly AttackDef[]): string[] {
  const own = [t.members.dataset, t.nonmembers.dataset];
  const out: string[] = [];
  for (const a of attacks) {
    const pop = attackPopulation(a)?.subset;
    if (pop && !pop.ops.length && !own.includes(pop.dataset) && !out.includes(pop.dataset)) out.push(pop.dataset);
  }
  return out;
}

/** The dataset a target is attacked on: its members' and non-members' one, or the two (and any population) joined. */
export function targetDataset(t: TargetDef, attacks: readonly AttackDef[] = []): string {
  const m = t.members.dataset;
  const n = t.nonmembers.dataset;
  return m === n ? m : [m, n, ...populationParts(t, attacks)].join('+');
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
    const name = targetDataset(t, program.attacks);
    if (name === t.members.dataset || out.some((d) => d.name === name)) continue;
    if (t.members.ops.length || t.nonmembers.ops.length)
      throw errorAt(
        'E403',
        `The members and non-members of target "${t.name}" come from two datasets, so each must be a whole dataset (as "members ${t.members.dataset}, nonmembers ${t.nonmembers.dataset}"); or take both from one dataset.`,
        t,
        t.nonmembers.range,
      );
    const parts = [t.members, t.nonmembers, ...populationParts(t, program.attacks).map((dataset) => ({ dataset }))];
    const infosOf = parts.map((r) => infos.find((d) => d.name === r.dataset));
    if (infosOf.some((d) => !d || d.synthetic)) continue; // reported where the target's dataset is looked up
    checkParts(t, infosOf as DatasetInfo[]);
    out.push(joined(name, infosOf as DatasetInfo[]));
  }
  return out;
}

/** The parts of a target's joined dataset: records of one shape, none normalised on its own. */
function checkParts(t: TargetDef, parts: readonly DatasetInfo[]): void {
  const [a, ...rest] = parts as [DatasetInfo, ...DatasetInfo[]];
  const range = (i: number) => (i === 0 ? t.members.range : t.nonmembers.range);
  const role = (i: number) => (i === 0 ? 'members' : i === 1 ? 'non-members' : 'population');
  rest.forEach((b, k) => {
    if (a.shape.join() !== b.shape.join())
      throw errorAt(
        'E403',
        `The members of target "${t.name}" ("${a.name}") are records of shape [${a.shape.join(', ')}], its ${role(k + 1)} ("${b.name}") [${b.shape.join(', ')}]; they must be alike.`,
        t,
        range(k + 1),
      );
  });
  parts.forEach((d, i) => {
    const norm = d.source.settings?.normalize;
    if (typeof norm === 'string' && norm !== 'none')
      throw errorAt(
        'E403',
        `Dataset "${d.name}" is normalised (normalize: ${norm}) on its own records, so the ${role(i)} of target "${t.name}" would be scaled differently from the others; give it normalize: none (and the records as the model takes them).`,
        t,
        range(i),
      );
  });
}

function joined(name: string, parts: readonly DatasetInfo[]): DatasetInfo {
  const n = parts.reduce((k, d) => k + d.n, 0);
  const labels = new Int32Array(n);
  let at = 0;
  for (const d of parts) {
    if (d.labels) labels.set(d.labels, at);
    at += d.n;
  }
  const part = (d: DatasetInfo) => ({ name: d.name, source: d.source, ...(d.context ? { context: d.context } : {}) });
  const key = contentHash({ joined: parts.map((d) => d.context?.key ?? d.source) });
  const a = parts[0]!;
  return {
    name,
    source: a.source,
    n,
    classes: Math.max(...parts.map((d) => d.classes)),
    shape: a.shape,
    labels,
    context: { ...(a.context ?? { dir: process.cwd(), cacheDir: '.mia/cache', seed: 0 }), key },
    parts: parts.map(part),
  };
}

/**
 * Defenses in the plan, reached through their descriptors only. Training-time: each hook may change
 * the model's layers and TrainDef (so the train job's hash covers it), replace the training loop (at
 * most one per model: DP-SGD or adversarial regularisation), ask for reference records, and account
 * for privacy. Output-time perturbations (MemGuard) get a perturb job after the target's query.
 * Reference records are drawn (seeded, per target) from the target's dataset outside every target's
 * members and non-members.
 */
import type { DefenseDef, ModelDef, TargetDef, Unlocated } from '../check/index.js';
import { AccountantError, defenseOf, type PrivacyRecord, type TrainingHook } from '../defenses/index.js';
import { deriveSeed, makeRng, permutation } from '../util/rng.js';
import { addJob, errorAt, stripRange, type Point } from './compile-common.js';
import { keyedSettings } from '../kinds/schema.js';
import type { PerturbSpec } from './plan.js';

export interface Defended {
  model: ModelDef;
  trainer?: Unlocated<DefenseDef>;
  reference?: number;
  privacy?(n: number): PrivacyRecord;
}

/** The model as the target's training-time defenses make it, and the training loop replacing trainModel if any. */
export function defendedModel(model: ModelDef, defenses: readonly DefenseDef[]): Defended {
  let layers = model.layers;
  let train = model.train;
  let loop: { def: DefenseDef; hook: TrainingHook } | undefined;
  for (const d of defenses) {
    const hook = defenseOf(d).apply?.(d.settings);
    if (!hook) continue;
    if (hook.layers) layers = hook.layers(layers);
    if (hook.train) train = hook.train(train);
    if (hook.trainer) {
      if (loop)
        throw errorAt(
          'E408',
          `The defenses ${loop.def.kind} and ${d.kind} each replace the training loop; use one.`,
          d,
        );
      loop = { def: d, hook };
    }
  }
  const out: Defended = { model: { ...model, layers, train } };
  if (!loop) return out;
  const { hook, def } = loop;
  const trainer = stripRange(def) as Unlocated<DefenseDef>;
  out.trainer = { ...trainer, settings: keyedSettings(defenseOf(def).settings, def.settings) };
  if (hook.reference !== undefined) out.reference = hook.reference;
  if (hook.privacy) out.privacy = (n) => accounted(def, () => hook.privacy!(n, train));
  return out;
}

/** The privacy record of a defense; a setting its accountant cannot answer for is an error at the defense. */
function accounted(def: DefenseDef, privacy: () => PrivacyRecord): PrivacyRecord {
  try {
    return privacy();
  } catch (e) {
    if (e instanceof AccountantError) throw errorAt('E408', e.message, def);
    throw e;
  }
}

/** The training-time defenses of a target (what shadow models mimic). */
export const trainingDefenses = (t: TargetDef): DefenseDef[] =>
  t.defenses.filter((d) => defenseOf(d).stage === 'training' && defenseOf(d).apply);

/** `size` records of the target's dataset outside every target's members and non-members, seeded by `label`. */
export function referenceRecords(pt: Point, size: number, label: string, user: DefenseDef): number[] {
  const used = new Set<number>();
  for (const t of pt.targets)
    for (const role of ['members', 'nonmembers'])
      for (const r of pt.subsets.get(`target/${t.name}/${role}`) ?? []) used.add(r);
  const n = pt.datasetSize;
  const free: number[] = [];
  for (let r = 0; r < n; r++) if (!used.has(r)) free.push(r);
  if (free.length === 0)
    throw errorAt(
      'E408',
      `The ${user.kind} defense finds no reference records outside the targets' members and non-members.`,
      user,
    );
  const order = permutation(free.length, makeRng(deriveSeed(pt.seed, `reference/${label}`)));
  return order.slice(0, Math.min(size, free.length)).map((i) => free[i]!);
}

/** The target's query after each output perturbation in turn (MemGuard): the query the attacks read. */
export function perturbedQuery(pt: Point, query: string, members: number[], queried: number[]): string {
  const t = pt.target;
  let q = query;
  t.defenses.forEach((d, i) => {
    const hook = defenseOf(d).perturb?.(d.settings);
    if (!hook) return;
    const spec: PerturbSpec = {
      kind: 'perturb',
      dataset: pt.dataset,
      model: q,
      defense: stripRange(d) as Unlocated<DefenseDef>,
      members,
      reference: referenceRecords(pt, hook.reference, `target/${t.name}/${d.kind}`, d),
      queried,
      seed: deriveSeed(pt.seed, `perturb/${t.name}/${i}`),
    };
    q = addJob(pt, `perturb/target/${t.name}/${d.kind}`, `${d.kind} on target ${t.name}`, [q], spec).id;
  });
  return q;
}

/** Each defense's own check again, now that the data's class count is known (files: unknown at check). */
export function checkDefenses(pt: Point, classes: number): void {
  for (const d of pt.target.defenses)
    defenseOf(d).check?.(d.settings, {
      error: (_code, message) => {
        throw errorAt('E408', message, d);
      },
      classes,
    });
}

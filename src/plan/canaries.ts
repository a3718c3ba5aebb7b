/**
 * Audit canaries in the plan (Steinke, Nasr & Jagielski 2023): the seeded inclusion draw (each canary
 * IN with probability 1/2, independently), the mislabelled canaries' wrong labels, the copies of IN
 * canaries in the training set, the canaries as extra attack candidates and the audit of each attack.
 */
import type { AuditDef, TargetDef } from '../check/index.js';
import { deriveSeed, makeRng } from '../util/rng.js';
import { errorAt, type Point } from './compile-common.js';
import type { AuditJobSpec, AuditPlan, CanaryPlan, DatasetInfo } from './plan.js';

/**
 * The inclusion draw of `target`'s canaries, seeded from the experiment seed and the target's name:
 * each canary is IN with probability 1/2; with `mislabel`, each gets a shift in 1..classes−1, so its
 * training label (y + shift) mod classes is a uniformly random wrong one. Null without canaries.
 */
export function canaryDraw(pt: Point, target: TargetDef, datasets: readonly DatasetInfo[]): CanaryPlan | null {
  const c = target.canaries;
  if (!c) return null;
  if (c.data.dataset !== pt.dataset)
    throw errorAt('E407', `The canaries of target "${target.name}" must come from its dataset "${pt.dataset}".`, c);
  const records = pt.subsets.get(canaryKey(target.name)) ?? [];
  if (records.length < 2)
    throw errorAt('E407', `The target "${target.name}" needs at least 2 canaries to audit with.`, c);
  const rng = makeRng(deriveSeed(pt.seed, `canaries/${target.name}`));
  const inc = records.map(() => rng.next() < 0.5);
  const out: CanaryPlan = {
    in: records.filter((_, i) => inc[i]),
    out: records.filter((_, i) => !inc[i]),
    mislabel: c.mislabel,
    repeat: c.repeat,
  };
  if (c.mislabel) {
    const classes = datasets.find((d) => d.name === pt.dataset)?.classes ?? 0;
    if (classes < 2) throw errorAt('E407', 'Mislabelled canaries need a dataset of at least 2 classes.', c);
    const lrng = makeRng(deriveSeed(pt.seed, `canaries/${target.name}/labels`));
    const record = [...out.in, ...out.out];
    out.relabel = { record, shift: record.map(() => 1 + lrng.int(classes - 1)) };
  }
  return out;
}

export const canaryKey = (target: string): string => `target/${target}/canaries`;

/** The canary records added to the target's training set: each IN canary `repeat` times. */
export const canaryTraining = (c: CanaryPlan): number[] => Array.from({ length: c.repeat }, () => c.in).flat();

/** The canaries as candidates, after the members and non-members: IN canaries first. */
export const canaryCandidates = (c: CanaryPlan | null): number[] => (c ? [...c.in, ...c.out] : []);

/** The report's audit as the plan keeps it (null without one). */
export function auditPlan(audit: AuditDef | undefined, attacks: readonly string[]): AuditPlan | null {
  if (!audit) return null;
  const t = audit.threshold;
  return {
    attacks: audit.attacks.length ? audit.attacks : [...attacks],
    confidence: audit.confidence,
    delta: audit.delta,
    threshold: t.kind === 'given' ? String(t.threshold) : t.kind,
    methods: audit.methods,
  };
}

/** What attack `attack`'s evaluate job needs to audit its canary scores; undefined when it is not audited. */
export function auditJob(pt: Point, attack: string, c: CanaryPlan | null): AuditJobSpec | undefined {
  const audit = pt.program.report.audit;
  if (!c || !audit || (audit.attacks.length && !audit.attacks.includes(attack))) return undefined;
  const t = audit.threshold;
  return {
    in: c.in.length,
    out: c.out.length,
    delta: audit.delta,
    confidence: audit.confidence,
    threshold: t.kind === 'split' ? { kind: 'split', seed: deriveSeed(pt.seed, `audit/${attack}`) } : t,
    methods: audit.methods,
  };
}

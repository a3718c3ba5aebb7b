/**
 * Merging the plans of a sweep's points into one: a job two points have in common (same hash) is one
 * job. A local id that stands for different jobs in different points gets the short hash appended.
 */
import type { TypedProgram } from '../check/index.js';
import type { AttackPlan, AuditPlan, DatasetInfo, Job, Plan, RunPlan, SynthesisPlan, TargetPlan } from './plan.js';

export interface PointPlan {
  seed: number;
  jobs: Job[];
  /** One entry per target, in source order: a run each. */
  targets: { target: TargetPlan; attacks: AttackPlan[]; synthesis?: SynthesisPlan[] }[];
  audit?: AuditPlan;
}

export function mergePoints(
  program: TypedProgram,
  datasets: DatasetInfo[],
  backend: string,
  points: { params: Record<string, number | string>; plan: PointPlan }[],
): Plan {
  const hashesOf = new Map<string, Set<string>>();
  for (const { plan } of points)
    for (const j of plan.jobs) {
      let s = hashesOf.get(j.id);
      if (!s) hashesOf.set(j.id, (s = new Set()));
      s.add(j.hash);
    }
  const globalId = (j: Job): string => (hashesOf.get(j.id)!.size > 1 ? `${j.id}@${j.hash.slice(0, 8)}` : j.id);
  const paramText = (params: Record<string, number | string>): string =>
    Object.entries(params)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');

  const byHash = new Map<string, Job>();
  const jobs: Job[] = [];
  const runs: RunPlan[] = [];
  for (const { params, plan } of points) {
    const local = new Map(plan.jobs.map((j) => [j.id, j]));
    // A job another id already stands for (same hash: another point's, or another target's) is that job.
    const gid = (id: string): string => byHash.get(local.get(id)!.hash)?.id ?? globalId(local.get(id)!);
    for (const j of plan.jobs) {
      if (byHash.has(j.hash)) continue;
      const ambiguous = hashesOf.get(j.id)!.size > 1;
      const g: Job = {
        ...j,
        id: gid(j.id),
        label: ambiguous ? `${j.label} (${paramText(params)})` : j.label,
        deps: j.deps.map(gid),
        inputs: j.inputs,
      };
      byHash.set(j.hash, g);
      jobs.push(g);
    }
    for (const t of plan.targets)
      runs.push({
        params,
        seed: plan.seed,
        target: { ...t.target, train: gid(t.target.train), query: gid(t.target.query) },
        attacks: t.attacks.map((a) => ({ ...a, job: gid(a.job), evaluate: gid(a.evaluate) })),
        ...(t.synthesis ? { synthesis: t.synthesis.map((x) => ({ ...x, job: gid(x.job) })) } : {}),
        ...(plan.audit ? { audit: plan.audit } : {}),
      });
  }
  return {
    experiment: program.experiment.name,
    seed: program.experiment.seed,
    backend,
    datasets,
    metrics: program.report.metrics,
    jobs,
    runs,
  };
}

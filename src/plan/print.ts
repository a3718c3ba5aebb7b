/** A plan for people (text), for tools (JSON) and for Graphviz (dot), marking which jobs are cached. */
import type { Job, Plan } from './plan.js';

export type IsCached = (hash: string) => boolean;

/**
 * The jobs a run would compute: walking back from what the results read (each run's target query and
 * evaluate jobs), stopping at cached outputs, as the executor does. A job neither cached nor on such a
 * path is not needed: everything that reads it is cached.
 */
export function jobsToRun(plan: Plan, cached: IsCached): Set<string> {
  const needed = new Set(
    plan.runs.flatMap((r) => [
      r.target.query,
      ...r.attacks.map((a) => a.evaluate),
      ...(r.synthesis ?? []).map((x) => x.job),
    ]),
  );
  const run = new Set<string>();
  for (const job of [...plan.jobs].reverse()) {
    if (!needed.has(job.id) || cached(job.hash)) continue;
    run.add(job.id);
    for (const d of job.deps) needed.add(d);
  }
  return run;
}

export interface PlanJson {
  experiment: string;
  seed: number;
  backend: string;
  jobs: {
    id: string;
    label: string;
    kind: Job['spec']['kind'];
    hash: string;
    deps: string[];
    cached: boolean;
    toRun: boolean;
  }[];
  runs: {
    params: Record<string, number | string>;
    target: string;
    attacks: { name: string; kind: string; job: string }[];
  }[];
  summary: { jobs: number; cached: number; toRun: number; notNeeded: number };
}

export function planToJson(plan: Plan, cached: IsCached): PlanJson {
  const run = jobsToRun(plan, cached);
  const jobs = plan.jobs.map((j) => ({
    id: j.id,
    label: j.label,
    kind: j.spec.kind,
    hash: j.hash,
    deps: j.deps,
    cached: cached(j.hash),
    toRun: run.has(j.id),
  }));
  const nCached = jobs.filter((j) => j.cached).length;
  return {
    experiment: plan.experiment,
    seed: plan.seed,
    backend: plan.backend,
    jobs,
    runs: plan.runs.map((r) => ({ params: r.params, target: r.target.query, attacks: r.attacks })),
    summary: { jobs: jobs.length, cached: nCached, toRun: run.size, notNeeded: jobs.length - nCached - run.size },
  };
}

export function planToText(plan: Plan, cached: IsCached): string {
  const j = planToJson(plan, cached);
  const width = Math.max(...j.jobs.map((x) => x.id.length));
  const notNeeded = j.summary.notNeeded ? `, ${j.summary.notNeeded} not needed (what reads them is cached)` : '';
  const lines = [
    `${plan.experiment}: ${j.summary.jobs} jobs on the ${plan.backend} backend, ${j.summary.cached} cached, ${j.summary.toRun} to run${notNeeded}`,
  ];
  const remote = new Set(
    plan.runs.flatMap((r) =>
      r.target.queries !== undefined
        ? [`remote target ${r.target.name}: ${r.target.queries} queries to its API (each record or augmented copy one)`]
        : [],
    ),
  );
  lines.push(...[...remote].map((l) => `  ${l}`));
  const state = (x: PlanJson['jobs'][number]): string => (x.cached ? 'cached' : x.toRun ? 'to run' : 'unused');
  for (const x of j.jobs) {
    lines.push(
      `  ${state(x)}  ${x.id.padEnd(width)}  ${x.hash.slice(0, 12)}${x.deps.length ? `  ← ${x.deps.length > 3 ? `${x.deps.slice(0, 3).join(', ')} and ${x.deps.length - 3} more` : x.deps.join(', ')}` : ''}`,
    );
  }
  const synthesis = new Map(plan.runs.flatMap((r) => (r.synthesis ?? []).map((x) => [x.job, x] as const)));
  for (const x of synthesis.values())
    lines.push(
      `shadow data ${x.dataset} (${x.job}): ${x.records.toLocaleString('en-US')} records by ${x.kind}${x.target !== undefined ? `, querying target ${x.target}${x.budget !== undefined ? ` (at most ${x.budget.toLocaleString('en-US')} queries; results.json records those spent)` : ''}` : ', no target queries'}`,
    );
  if (plan.runs.length > 1 || Object.keys(plan.runs[0]?.params ?? {}).length) {
    const several = new Set(plan.runs.map((r) => r.target.name)).size > 1;
    lines.push(`${plan.runs.length} ${several ? 'run' : 'sweep point'}${plan.runs.length === 1 ? '' : 's'}:`);
    for (const r of plan.runs) {
      const params = Object.entries(r.params).map(([k, v]) => `${k} = ${v}`);
      const what = [...(several ? [`target ${r.target.name}`] : []), ...params].join(', ');
      lines.push(`  ${what}: ${r.attacks.map((a) => a.job).join(', ')}`);
    }
  }
  return lines.join('\n');
}

const dotString = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

export function planToDot(plan: Plan, cached: IsCached): string {
  const lines = [
    `digraph ${dotString(plan.experiment)} {`,
    '  rankdir=LR;',
    '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica"];',
  ];
  for (const j of plan.jobs) {
    const c = cached(j.hash);
    lines.push(
      `  ${dotString(j.id)} [label=${dotString(`${j.label}\n${j.hash.slice(0, 8)}${c ? ' (cached)' : ''}`)}${c ? ', fillcolor="#dddddd"' : ''}];`,
    );
  }
  for (const j of plan.jobs) for (const d of j.deps) lines.push(`  ${dotString(d)} -> ${dotString(j.id)};`);
  lines.push('}');
  return lines.join('\n');
}

/**
 * What changes between two experiments, as plans: jobs added, removed, changed (and which settings
 * changed, or which input), and jobs whose outputs carry over (same hash: a cached result serves both).
 */
import { redactUrl } from '../lang/index.js';
import { canonicalJson } from './hash.js';
import type { Job, Plan } from './plan.js';

export interface JobChange {
  id: string;
  label: string;
  reasons: string[];
}

export interface PlanDiff {
  added: { id: string; label: string }[];
  removed: { id: string; label: string }[];
  changed: JobChange[];
  same: { id: string; label: string }[];
  /** Sweep points of B whose results all come from jobs A has too. */
  runsCarriedOver: Record<string, number | string>[];
  runsChanged: Record<string, number | string>[];
}

const short = (value: unknown): string => {
  const v = typeof value === 'string' ? redactUrl(value) : value; // a remote target's url: its secrets masked
  const s = typeof v === 'string' && /^[\w.@%-]+$/.test(v) ? v : canonicalJson(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** The paths at which two plain values differ, with a short note for each. */
export function specChanges(a: unknown, b: unknown, path = ''): string[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  const here = path || '(the whole spec)';
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.every((x) => typeof x === 'number') && b.every((x) => typeof x === 'number')) {
      if (a.length !== b.length) return [`${here}: ${a.length} → ${b.length} records`];
      const differ = a.filter((x, i) => x !== b[i]).length;
      return [`${here}: ${differ} of ${a.length} records differ`];
    }
    if (a.length !== b.length) return [`${here}: ${a.length} → ${b.length} items`];
    return a.flatMap((x, i) => specChanges(x, b[i], `${path}[${i}]`));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as Record<string, unknown>,
      bo = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
    return keys.flatMap((k) => specChanges(ao[k], bo[k], path ? `${path}.${k}` : k));
  }
  return [`${here}: ${short(a)} → ${short(b)}`];
}

/**
 * A change found in a job spec (`path: a → b`), named as the .mia file names it: `small.train.epochs 3 → 2`,
 * `loss.signal loss → entropy`, `refs.count 2 → 3`; no internal path such as `shadows[0].models`.
 */
export function inSpecTerms(spec: Job['spec'], change: string): string {
  const m = /^(\S+): (.*)$/.exec(change);
  if (!m) return change;
  const [, path, what] = m as unknown as [string, string, string];
  if (spec.kind === 'train' && path.startsWith('model.')) return `${spec.model.name}.${path.slice(6)} ${what}`;
  if (spec.kind !== 'attack') return `${path} ${what}`;
  const name = spec.attack.name;
  if (path.startsWith('attack.settings.')) return `${name}.${path.slice('attack.settings.'.length)} ${what}`;
  if (path.startsWith('attack.')) return `${name}.${path.slice('attack.'.length)} ${what}`;
  const sh = /^shadows\[(\d+)\](.*)$/.exec(path);
  if (sh) {
    const set = spec.shadows[Number(sh[1])]?.name ?? 'shadows';
    if (sh[2] === '.models') return `${set}.count ${what.replace(/ items$/, '')}`;
    return `shadows ${set}: the records of its models changed`;
  }
  return `${path} ${what}`;
}

export function diffPlans(a: Plan, b: Plan): PlanDiff {
  const aById = new Map(a.jobs.map((j) => [j.id, j]));
  const aHashes = new Set(a.jobs.map((j) => j.hash));
  const bIds = new Set(b.jobs.map((j) => j.id));
  const baseId = (id: string): string => id.replace(/@[0-9a-f]{8}$/, '');
  const aByBase = new Map<string, Job>();
  for (const j of a.jobs) if (!aByBase.has(baseId(j.id))) aByBase.set(baseId(j.id), j);
  const matchedA = new Set<string>();
  const bHashById = new Map(b.jobs.map((j) => [j.id, j.hash]));

  const out: PlanDiff = { added: [], removed: [], changed: [], same: [], runsCarriedOver: [], runsChanged: [] };
  for (const j of b.jobs) {
    if (aHashes.has(j.hash)) {
      out.same.push({ id: j.id, label: j.label });
      const old = a.jobs.find((x) => x.hash === j.hash)!;
      matchedA.add(old.id);
      continue;
    }
    const old = aById.get(j.id) ?? aByBase.get(baseId(j.id));
    if (!old || (matchedA.has(old.id) && !aById.has(j.id))) {
      out.added.push({ id: j.id, label: j.label });
      continue;
    }
    matchedA.add(old.id);
    const reasons: string[] = [];
    if (a.backend !== b.backend) reasons.push(`backend: ${a.backend} → ${b.backend}`);
    reasons.push(...[...new Set(specChanges(old.spec, j.spec).map((r) => inSpecTerms(j.spec, r)))]);
    const oldDepHashes = new Map(old.deps.map((d, i) => [old.inputs[i] ?? d, a.jobs.find((x) => x.id === d)?.hash]));
    j.deps.forEach((d, i) => {
      const name = j.inputs[i] ?? d;
      if (!oldDepHashes.has(name)) reasons.push(`new input ${d}`);
      else if (oldDepHashes.get(name) !== bHashById.get(d)) reasons.push(`its input ${d} changed`);
    });
    if (reasons.length === 0) reasons.push('the code of this kind of job changed');
    out.changed.push({ id: j.id, label: j.label, reasons });
  }
  for (const j of a.jobs) if (!matchedA.has(j.id) && !bIds.has(j.id)) out.removed.push({ id: j.id, label: j.label });
  for (const r of b.runs) {
    const finals = [r.target.query, ...r.attacks.map((x) => x.evaluate)];
    const all = finals.every((id) => aHashes.has(bHashById.get(id) ?? ''));
    (all ? out.runsCarriedOver : out.runsChanged).push(r.params);
  }
  return out;
}

const indirect = (r: string): boolean => /^its input .* changed$/.test(r) || r.startsWith('new input ');

/** The lead of `mia diff`: the settings that changed (each once, with how many jobs it touches), then the counts. */
export function diffSummary(d: PlanDiff): string[] {
  const settings = new Map<string, number>();
  for (const c of d.changed) for (const r of c.reasons) if (!indirect(r)) settings.set(r, (settings.get(r) ?? 0) + 1);
  const byInput = d.changed.filter((c) => c.reasons.every(indirect)).length;
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  const lines = ['summary:'];
  if (settings.size === 0 && d.changed.length === 0 && d.added.length === 0 && d.removed.length === 0)
    lines.push('  nothing changes: every job carries over');
  for (const [r, n] of settings) lines.push(`  setting  ${r}${n > 1 ? ` (${n} jobs)` : ''}`);
  const rerun = d.changed.length + d.added.length;
  lines.push(
    `  ${plural(rerun, 'job')} to run (${d.changed.length} changed${byInput ? `, ${byInput} of them only because an input changed` : ''}, ${d.added.length} added), ${d.removed.length} removed, ${d.same.length} carried over`,
  );
  return lines;
}

export function diffToText(d: PlanDiff, nameA: string, nameB: string): string {
  const lines: string[] = [`${nameA} → ${nameB}`, ...diffSummary(d), 'details:'];
  for (const c of d.changed) {
    lines.push(`  changed  ${c.id}`);
    for (const r of c.reasons) lines.push(`           ${r}`);
  }
  for (const x of d.added) lines.push(`  added    ${x.id}`);
  for (const x of d.removed) lines.push(`  removed  ${x.id}`);
  lines.push(
    `  ${d.same.length} job${d.same.length === 1 ? '' : 's'} unchanged: their results carry over${
      d.same.length
        ? ` (${d.same
            .slice(0, 4)
            .map((x) => x.id)
            .join(', ')}${d.same.length > 4 ? ', ...' : ''})`
        : ''
    }`,
  );
  const pt = (p: Record<string, number | string>): string =>
    Object.keys(p).length
      ? Object.entries(p)
          .map(([k, v]) => `${k} = ${v}`)
          .join(', ')
      : 'the run';
  if (d.runsCarriedOver.length) lines.push(`results carried over unchanged: ${d.runsCarriedOver.map(pt).join('; ')}`);
  if (d.runsChanged.length) lines.push(`results to recompute: ${d.runsChanged.map(pt).join('; ')}`);
  return lines.join('\n');
}

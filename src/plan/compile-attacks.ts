/** Phases 3 and 4 of compiling one point: each attack's job (with its augmented queries) and its evaluate job. */
import { attackAugmentations, attackOf, attackPopulation, attackShadows, attackTitle } from '../attacks/needs.js';
import { releaseOf, targetSourceOf, type AttackDef, type Unlocated } from '../check/index.js';
import { releaseForm, type Release } from '../kinds/output-release.js';
import { fprLevelsFor } from '../metrics/index.js';
import { deriveSeed, makeRng, permutation } from '../util/rng.js';
import { auditJob, canaryCandidates } from './canaries.js';
import { addJob, errorAt, stripRange, type Point } from './compile-common.js';
import { remoteAugmentedQuery } from './remote.js';
import { checkReferenceMasks } from './onnx-shadows.js';
import { partOffsets } from './joined.js';
import { onnxAugmentedQuery } from './onnx.js';
import type { CanaryPlan, AttackJobSpec, AttackPlan, AugmentQuerySpec, EvaluateSpec, ShadowInput } from './plan.js';

/**
 * Phase 3, attack jobs (with their augmented queries); phase 4, each attack's evaluate job. Null: an
 * attack needing probabilities against a labels-only target among several (skipped, warning W350).
 */
export function attackJobs(
  pt: Point,
  a: AttackDef,
  targetQuery: string,
  members: number[],
  nonmembers: number[],
  shadowInputs: Map<string, ShadowInput>,
  canaries: CanaryPlan | null = null,
): AttackPlan | null {
  const { target, seed, dataset } = pt;
  const release = releaseFor(pt, a);
  if (!release) return null;
  const d = attackOf(a);
  const candidates = [...members, ...nonmembers];
  const scored = [...candidates, ...canaryCandidates(canaries)];
  const { shadows, data } = shadowsOf(a, shadowInputs);
  checkReferenceMasks(pt, a, shadows, candidates);
  onlineHasIn(a, shadows, candidates);
  const augmented = augmentedQueries(pt, a, shadows, scored);
  const spec: AttackJobSpec = {
    kind: 'attack',
    attack: stripRange(a) as Unlocated<AttackDef>,
    dataset,
    target: targetQuery,
    candidates: scored,
    shadows,
    release,
    population: populationOf(pt, a, new Set(scored)),
    augmented,
    seed: deriveSeed(seed, `attack/${a.name}`),
    ...(canaries?.relabel ? { relabel: canaries.relabel } : {}),
  };
  const deps = [
    targetQuery,
    ...data,
    ...shadows.flatMap((s) => s.models.map((m) => m.query)),
    ...(augmented ? [augmented.target, ...augmented.shadows.flatMap((s) => s.queries)] : []),
  ];
  const on = pt.targets.length > 1 ? { id: `/${target.name}`, label: ` on ${target.name}` } : { id: '', label: '' };
  const job = addJob(pt, `attack/${a.name}${on.id}`, `attack ${a.name}${on.label}`, deps, spec, d.version);
  const evaluate = evaluateJob(pt, a, job.id, candidates, members.length, canaries, on);
  return { name: a.name, kind: a.kind, job: job.id, evaluate: evaluate.id };
}

/** The attack's shadow sets, and the synthesised data they were trained on (one kind of pool per attack). */
function shadowsOf(a: AttackDef, shadowInputs: Map<string, ShadowInput>): { shadows: ShadowInput[]; data: string[] } {
  const shadows = attackShadows(a).map((n) => shadowInputs.get(n)!);
  const data = [...new Set(shadows.flatMap((s) => (s.data ? [s.data] : [])))];
  if (data.length > 1 || (data.length === 1 && shadows.some((s) => !s.data)))
    throw errorAt(
      'E409',
      `The ${a.kind} attack "${a.name}" uses shadows trained on different data; give it one kind of pool.`,
      a,
    );
  return { shadows, data };
}

/** Phase 4: the attack's evaluate job (metrics with bootstrap intervals, and the canary audit if any). */
function evaluateJob(
  pt: Point,
  a: AttackDef,
  attackJob: string,
  candidates: number[],
  members: number,
  canaries: CanaryPlan | null,
  on: { id: string; label: string },
): { id: string } {
  const { program, dataset, seed } = pt;
  const fprLevels = fprLevelsFor(program.report.metrics.flatMap((m) => (m.kind === 'tprAtFpr' ? [m.fpr] : [])));
  const ev: EvaluateSpec = {
    kind: 'evaluate',
    dataset,
    attack: attackJob,
    candidates,
    members,
    fprLevels,
    seed: deriveSeed(seed, `bootstrap/${a.name}`),
  };
  const audit = auditJob(pt, a.name, canaries);
  if (audit) ev.audit = audit;
  return addJob(pt, `evaluate/${a.name}${on.id}`, `evaluate ${a.name}${on.label}`, [attackJob], ev);
}

/** The target's and each shadow model's answers on augmented copies, when the attack has augmentations. */
function augmentedQueries(
  pt: Point,
  a: AttackDef,
  shadows: ShadowInput[],
  scored: number[],
): AttackJobSpec['augmented'] {
  const augs = attackAugmentations(a);
  if (augs.length === 0) return null;
  const unsupported = targetSourceOf(pt.target).noAugmentedQueries;
  if (unsupported)
    throw errorAt(
      'E409',
      `The attack "${a.name}" queries augmented records, which ${unsupported} do not support yet.`,
      a,
    );
  const augSeed = deriveSeed(pt.seed, `augment/${a.name}`);
  // A model from an ONNX file answers through its own query job's file; one mia trains through an augment_query job.
  const aq = (id: string, label: string, train: string, query = train): string => {
    const onnx = onnxAugmentedQuery(pt, query, id, label, augs, augSeed);
    if (onnx) return onnx;
    const spec: AugmentQuerySpec = {
      kind: 'augment_query',
      dataset: pt.dataset,
      model: train,
      augmentations: augs,
      seed: augSeed,
    };
    return addJob(pt, id, label, [train], spec).id;
  };
  const t = pt.target.name;
  const train = pt.targetTrain ?? `train/target/${t}`;
  const owner = pt.targetApi ? t : train.slice('train/target/'.length); // targets trained alike share one model
  const own = pt.targets.length > 1 ? `/${owner}` : '';
  const base = (query: string): string => query.replace(/^query\//, ''); // query/shadow/refs/3 → shadow/refs/3
  const targetId = `augquery/${a.name}/target${own}`;
  const targetLabel = `query target ${t} augmented for ${a.name}`;
  return {
    // A remote target is asked about the scored records only: each query counts against its budget.
    target: pt.targetApi
      ? remoteAugmentedQuery(pt, pt.targetApi, targetId, targetLabel, scored, augs, augSeed)
      : aq(targetId, targetLabel, train),
    shadows: shadows.map((s) => ({
      name: s.name,
      queries: s.models.map((m, i) =>
        aq(
          `augquery/${a.name}/${base(m.query)}`,
          `query shadow ${s.name} #${i + 1} augmented for ${a.name}`,
          `train/${base(m.query)}`,
          m.query,
        ),
      ),
    })),
  };
}

/** The population records of an attack that asks for them: never candidates, drawn (seeded) to its size. */
export function populationOf(pt: Point, a: AttackDef, cands: Set<number>): number[] {
  const need = attackPopulation(a);
  if (!need) return [];
  const pool = need.subset ?? pt.program.shadows.find((s) => s.name === need.poolOf)?.pool;
  if (pool && pool.dataset !== pt.dataset && !partOffsets(pt.dataset, pt.datasets).has(pool.dataset))
    throw errorAt(
      'E409',
      `The population of the ${a.kind} attack "${a.name}" must be records of the target's dataset "${pt.dataset}", not of "${pool.dataset}": the target is asked about them.`,
      a,
      need.subset?.range ?? a.range,
    );
  const key = need.subset ? `attack/${a.name}/population` : `shadows/${need.poolOf}/pool`;
  const from = (pt.subsets.get(key) ?? []).filter((r) => !cands.has(r));
  if (from.length === 0)
    throw errorAt(
      'E409',
      `The ${a.kind} attack "${a.name}" finds no population records outside the target's members and non-members.${partOffsets(pt.dataset, pt.datasets).size ? ' Name a dataset of records neither trained on nor scored: population: pop.' : ''}`,
      a,
      need.subset?.range ?? a.range,
    );
  if (need.size === null) return from;
  const order = permutation(from.length, makeRng(deriveSeed(pt.seed, `population/${a.name}`)));
  return order.slice(0, Math.min(need.size, from.length)).map((i) => from[i]!);
}

/**
 * An online attack (its descriptor asks for half-sampled shadows) needs models trained WITH the records
 * it scores; with none (a pool that holds none of the target's records), it would be its offline form
 * under the online name (RMIA: offline with a = 1), so the plan refuses it.
 */
function onlineHasIn(a: AttackDef, shadows: ShadowInput[], candidates: number[]): void {
  const name = attackOf(a).needsHalfShadows?.(a.settings);
  const s = name ? shadows.find((x) => x.name === name) : undefined;
  if (!s) return;
  const trained = new Set(s.models.flatMap((m) => m.inIdx));
  if (candidates.some((r) => trained.has(r))) return;
  throw errorAt(
    'E409',
    `The online ${attackTitle(a)} attack "${a.name}" scores no record that is in the training set of any reference model of "${s.name}": ` +
      `online compares models trained with each record against models trained without it, and it has only the latter (it would be offline ${attackTitle(a)} under the online name). ` +
      "Use mode: offline, or give the shadows a pool holding the target's members and non-members (sampling half).",
    a,
  );
}

/** The target's composed release, if the attack can read it: null (skipped, W350) or an error (E350) if not. */
function releaseFor(pt: Point, a: AttackDef): Release | null {
  const release = releaseOf(pt.target);
  if (!attackOf(a).needsProbabilities || releaseForm(release) !== 'labels') return release;
  if (pt.targets.length > 1) return null;
  throw errorAt(
    'E409',
    `The target "${pt.target.name}" releases labels only, but the ${a.kind} attack "${a.name}" needs probabilities.`,
    a,
  );
}

/**
 * Synthesised shadow pools (Shokri et al. V.C): a shadow set whose pool is a synthesised dataset
 * (`dataset fake = marginals(buys.take(1000)) { records: 5000 }`, or `hill_climb(victim) { ... }`)
 * trains on the records of a synthesize job. That job depends on the model of the target it queries
 * (if any) and is content-hashed like the others. The shadow models are asked about the target's
 * dataset and then the synthetic records, so their in/out records are offset by the dataset's size.
 */
import { releaseOf, targetSourceOf, type DatasetDef, type TrainedShadowsDef } from '../check/index.js';
import { sourceOf, synthesisStatistics, synthesisTarget } from '../data/index.js';
import { deriveSeed } from '../util/rng.js';
import { releaseForm } from '../kinds/output-release.js';
import { addJob, errorAt, stripRange, type Point } from './compile-common.js';
import type { DatasetInfo, SynthesisPlan, SynthesizeSpec } from './plan.js';

/** The subset key of a synthesised dataset's statistics (allocated with the other subsets). */
export const statisticsKey = (name: string): string => `dataset/${name}/statistics`;

/** The synthesised dataset a shadow set's pool names, or null when it names the target's own dataset. */
export function syntheticPoolOf(pt: Point, s: TrainedShadowsDef): DatasetInfo | null {
  if (s.pool.dataset === pt.dataset) return null;
  const info = pt.datasets.find((d) => d.name === s.pool.dataset);
  if (info?.synthetic?.base === pt.dataset) return info;
  const hint = info?.synthetic
    ? ` "${s.pool.dataset}" is synthesised after "${info.synthetic.base}", not after "${pt.dataset}".`
    : ' (or a dataset synthesised from it, by marginals or hill_climb).';
  throw errorAt(
    'E406',
    `The pool of shadows "${s.name}" must come from the target's dataset "${pt.dataset}"${hint}`,
    s,
    s.pool.range,
  );
}

/** The model and release a hill-climbing source queries: a target mia holds, trained before, releasing scores. */
function climbedTarget(
  pt: Point,
  def: DatasetDef,
  targetName: string,
  trainOf: ReadonlyMap<string, string>,
): { model: string; release: SynthesizeSpec['release'] } {
  const t = pt.targets.find((x) => x.name === targetName);
  if (!t) throw errorAt('E406', `"${def.name}" queries the target "${targetName}", which mia cannot query.`, def);
  const cannot = targetSourceOf(t).noHillClimb?.(def.name, t.name);
  if (cannot) throw errorAt('E406', cannot, def);
  const release = releaseOf(t);
  if (releaseForm(release) === 'labels')
    throw errorAt(
      'E406',
      `"${def.name}" climbs on the confidence of target "${t.name}", which releases labels only.`,
      def,
    );
  const model = trainOf.get(t.name);
  if (!model)
    throw errorAt(
      'E406',
      `"${def.name}" queries the target "${t.name}", declared after the target "${pt.target.name}" whose attacks use it; declare "${t.name}" first.`,
      def,
    );
  return { model, release };
}

/** The synthesize job of a synthesised dataset (one per dataset and point; targets share it). */
export function synthesizeJob(pt: Point, info: DatasetInfo, trainOf: ReadonlyMap<string, string>): SynthesisPlan {
  const def = pt.program.datasets.find((d) => d.name === info.name)!;
  const stats = synthesisStatistics(def);
  const targetName = synthesisTarget(def);
  if (stats && stats.dataset !== pt.dataset)
    throw errorAt(
      'E406',
      `The statistics of "${def.name}" must come from the target's dataset "${pt.dataset}".`,
      def,
      stats.range,
    );
  const { model, release } =
    targetName === null ? { model: null, release: null } : climbedTarget(pt, def, targetName, trainOf);
  const spec: SynthesizeSpec = {
    kind: 'synthesize',
    dataset: pt.dataset,
    name: def.name,
    source: stripRange({ ...def.source, range: null }) as SynthesizeSpec['source'],
    statistics: stats ? pt.subsets.get(statisticsKey(def.name))! : null,
    model,
    release,
    seed: deriveSeed(pt.seed, `synthesize/${def.name}`),
  };
  const job = addJob(pt, `synthesize/${def.name}`, `synthesize ${def.name}`, model ? [model] : [], spec);
  const budget = sourceOf(def.source).synthesis?.budget?.(def.source.settings);
  return {
    dataset: def.name,
    kind: def.source.kind,
    job: job.id,
    records: info.n,
    ...(targetName !== null ? { target: targetName } : {}),
    ...(budget !== undefined ? { budget } : {}),
  };
}

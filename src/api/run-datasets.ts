/**
 * What results.json needs of the datasets after the jobs: each target dataset's labels, and the features of
 * its most exposed records. One reader per run serves both, so each dataset's facts are read once.
 */
import { datasetFacts, loadDataset, type SourceFacts } from '../data/index.js';
import type { Plan } from '../plan/index.js';
import type { Features } from '../report/index.js';

/** Datasets above this many feature values (CIFAR-10's 50,000 images) are not loaded again for display. */
export const SHOWN_FEATURE_LIMIT = 20_000_000;

export interface RunDatasets {
  /** The labels of the dataset of this name (a swept target dataset has several names). */
  labels(name: string): Int32Array;
  /** Its features for display; null where too large to load again, or where it cannot be loaded. */
  features(name: string): Features | null;
}

export function runDatasets(plan: Plan): RunDatasets {
  const facts = new Map<string, SourceFacts>();
  const features = new Map<string, Features | null>();
  const ref = (name: string) => plan.datasets.find((d) => d.name === name);
  const factsOf = (name: string): SourceFacts => {
    let f = facts.get(name);
    if (!f) facts.set(name, (f = datasetFacts(ref(name)!)));
    return f;
  };
  return {
    labels: (name) => factsOf(name).labels,
    features(name) {
      if (!features.has(name))
        features.set(
          name,
          tryLoad(ref(name), () => factsOf(name)),
        );
      return features.get(name)!;
    },
  };
}

/** Null where the dataset is too large to load again, or cannot be (the results stand without pictures). */
function tryLoad(r: Plan['datasets'][number] | undefined, factsOf: () => SourceFacts): Features | null {
  if (!r) return null;
  try {
    const f = factsOf();
    if (f.n * f.shape.reduce((a, b) => a * b, 1) > SHOWN_FEATURE_LIMIT) return null;
    const d = loadDataset(r);
    return { x: d.x, shape: d.shape, kind: d.kind };
  } catch {
    return null;
  }
}

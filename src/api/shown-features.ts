/** The features results.json shows of the most exposed records: the target's dataset, loaded once per name. */
import { datasetFacts, loadDataset } from '../data/index.js';
import type { Plan } from '../plan/index.js';
import type { Features } from '../report/index.js';

/** Datasets above this many feature values (CIFAR-10's 50,000 images) are not loaded again for display. */
export const SHOWN_FEATURE_LIMIT = 20_000_000;

export function shownFeatures(plan: Plan): (dataset: string) => Features | null {
  const loaded = new Map<string, Features | null>();
  return (name) => {
    if (loaded.has(name)) return loaded.get(name)!;
    const ref = plan.datasets.find((d) => d.name === name);
    let f: Features | null = null;
    if (ref) f = tryLoad(ref);
    loaded.set(name, f);
    return f;
  };
}

/** Null where the dataset is too large to load again, or cannot be (the results stand without pictures). */
function tryLoad(ref: Plan['datasets'][number]): Features | null {
  try {
    const facts = datasetFacts(ref);
    const size = facts.n * facts.shape.reduce((a, b) => a * b, 1);
    if (size > SHOWN_FEATURE_LIMIT) return null;
    const d = loadDataset(ref);
    return { x: d.x, shape: d.shape, kind: d.kind };
  } catch {
    return null;
  }
}

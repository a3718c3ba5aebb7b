/** Data sources by kind, through their descriptors: the whole dataset, or only its facts where that is cheaper. */
import type { Settings } from '../kinds/schema.js';
import type { Dataset } from './dataset.js';
import type { SourceContext, SourceFacts } from './source.js';
import { sourceOf } from './sources/index.js';

export interface SourceRef {
  name: string;
  source: { kind: string; settings?: Settings };
  /** Where the source is read from; the built-in MNIST needs none. */
  context?: SourceContext;
}

const NO_CONTEXT: SourceContext = { dir: process.cwd(), cacheDir: '.mia/cache', seed: 0 };

export function loadDataset(info: SourceRef): Dataset {
  const d = sourceOf(info.source);
  if (!d.load) throw new Error(`No loader for data source "${d.kind}" (the run gate should have refused it).`);
  return { ...d.load(info.source.settings ?? {}, info.context ?? NO_CONTEXT), name: info.name };
}

/** Size, classes, shape and labels of a dataset: what planning and the results need, without its features where that is cheaper. */
export function datasetFacts(info: SourceRef): SourceFacts {
  const d = sourceOf(info.source);
  if (d.facts) return d.facts(info.source.settings ?? {}, info.context ?? NO_CONTEXT);
  const ds = loadDataset(info);
  return { n: ds.n, classes: ds.classes, shape: ds.shape, labels: ds.y, kind: ds.kind };
}

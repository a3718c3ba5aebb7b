/** Data sources by kind: the whole dataset, or only its facts where that is cheaper. */
import { match } from 'ts-pattern';
import type { Dataset } from './dataset.js';
import { loadMnist, mnistFacts, type DatasetFacts } from './mnist.js';

export interface SourceRef {
  name: string;
  source: { kind: string };
}

export function loadDataset(info: SourceRef): Dataset {
  return match(info.source.kind)
    .with('mnist', () => ({ ...loadMnist(), name: info.name }))
    .otherwise((k) => {
      throw new Error(`No loader for data source "${k}".`);
    });
}

/** Size, classes, shape and labels of a dataset: what planning and the results need, without its features where that is cheaper. */
export function datasetFacts(info: SourceRef): DatasetFacts {
  if (info.source.kind === 'mnist') return mnistFacts();
  const ds = loadDataset(info);
  return { n: ds.n, classes: ds.classes, shape: ds.shape, labels: ds.y, kind: ds.kind };
}

export * from './dataset.js';
export { loadMnist, mnistFacts, type DatasetFacts as DataFacts } from './mnist.js';
export * from './splits.js';
export * from './augment.js';
export * from './npy-array.js';
export { loadDataset, datasetFacts, type SourceRef } from './load.js';
export { defineSource, type AnySource, type DataSourceDescriptor, type Modality, type SourceFacts } from './source.js';
export { dataSourceKind, dataSourceKinds, registerDataSource, sourceOf } from './sources/index.js';

export * from './dataset.js';
export { loadMnist, mnistFacts, type MnistFacts } from './mnist.js';
export * from './splits.js';
export * from './augment.js';
export * from './npy-array.js';
export { loadDataset, datasetFacts, datasetColumn, type SourceRef } from './load.js';
export { MISSING_VALUE, type ColumnValues } from './formats/csv-column-values.js';
export * from './formats/index.js';
export { synthesizeFromMarginals } from './synthesis/marginals.js';
export {
  synthesizeByModel,
  type QueryFn,
  type HillClimbOptions,
  type HillClimbResult,
} from './synthesis/hill-climb.js';
export {
  defineSource,
  type AnySource,
  type DataSourceDescriptor,
  type Modality,
  type SourceContext,
  type SourceFacts,
  type SynthesisInput,
  type SynthesisOutput,
} from './source.js';
export { synthesisBase, synthesisStatistics, synthesisTarget } from './synthesized.js';
export { dataSourceKind, dataSourceKinds, registerDataSource, sourceOf } from './sources/index.js';

export * from './backend-choice.js';
export * from './backend.js';
export { buildModel } from './architecture.js';
export { trainModel, TrainingDiverged, type TrainData, type TrainProgress } from './train.js';
export { queryLogits } from './query.js';
export { saveArtifacts, loadArtifacts, type ModelArtifacts } from './serialize.js';

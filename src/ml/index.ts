export * from './backend-choice.js';
export * from './backend.js';
export { buildModel } from './architecture.js';
export { trainModel, TrainingDiverged, type TrainData, type TrainProgress } from './train.js';
export { queryLogits } from './query.js';
export { saveArtifacts, loadArtifacts, type ModelArtifacts } from './serialize.js';
export {
  buildImportedModel,
  loadImportedModel,
  loadImportedTarget,
  readModelFiles,
  checkModelFits,
  ModelFileError,
} from './imported.js';
export { modelOutputOf, type ModelOutput } from './model-output.js';
export { trainModelDp, poissonSample, type DpSettings, type DpTrainOutcome } from './dp-train.js';
export { clippedGradientSum, ghostClippingApplies, type PerExampleMethod } from './dp/per-example.js';
export { trainModelAdvReg, type AdvRegSettings, type AdvRegOutcome, type AdvRegProgress } from './adv-reg-train.js';

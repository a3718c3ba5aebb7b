export * from './plan.js';
export { compile, compilePoint, JOB_VERSIONS, PlanStop, attackShadows, type DatasetsOf } from './compile.js';
export { contentHash, canonicalJson, sha256 } from './hash.js';
export type { PointPlan } from './merge.js';
export { planToJson, planToText, planToDot, jobsToRun, type PlanJson, type IsCached } from './print.js';
export { diffPlans, diffToText, specChanges, type PlanDiff, type JobChange } from './diff.js';

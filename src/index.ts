/**
 * The package entry (`import { run, registerAttack } from 'mia'`): the library (src/api/: parse, check, plan,
 * run, score signals, audit, read and compare results), the types of what it returns, and what plugin modules
 * use. A plugin registers its kinds when imported; `mia run --plugin FILE` imports it in every thread.
 * Nothing else of dist/ is reachable (the exports map); the JSON Schemas are `mia/schemas/*.schema.json`.
 */
export * from './api/index.js';
export type { RunEvent, TrainTick } from './run/events.js';
export type { JsonLine } from './ui/events-schema.js';
export type { Diagnostic, Program } from './lang/index.js';
export type { TypedProgram } from './check/index.js';
export type { Plan } from './plan/index.js';
export type { BackendChoice } from './ml/backend-choice.js';
export type { AuditOptions, AuditResult, CanaryScores } from './audit/index.js';
export type { SignalsInput } from './attacks/index.js';
export type {
  AttackResult,
  ExpectationResult,
  MetricChange,
  Provenance,
  ResultsJson,
  RunResult,
  TargetResult,
} from './report/index.js';
export {
  attackKind,
  attackKinds,
  defineAttack,
  registerAttack,
  type AnyAttack,
  type AttackCheck,
  type AttackContext,
  type AttackDescriptor,
  type PopulationNeed,
  type ReferenceModel,
} from './attacks/index.js';
export { lossOf, probabilities, type ModelSignals } from './attacks/signals.js';
export type { Schema, Setting, SettingsOf, SettingValue, Settings } from './kinds/schema.js';
export {
  dataSourceKinds,
  defineSource,
  registerDataSource,
  type AnySource,
  type DataSourceDescriptor,
  type SourceFacts,
} from './data/index.js';
export {
  defenseKinds,
  defineDefense,
  registerDefense,
  type AnyDefense,
  type DefenseDescriptor,
} from './defenses/index.js';

/**
 * The package entry (`import { registerAttack } from 'mia'`): what plugin modules and programs use.
 * A plugin registers its kinds when imported; `mia run --plugin FILE` imports it in every thread.
 */
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

/** What an attack needs from the rest of the experiment, read off its descriptor and schema. */
import type { AttackDef, Augmentation, DataRef, Unlocated } from '../kinds/program.js';
import { isAugmentations, type SettingValue } from '../kinds/schema.js';
import type { PopulationNeed } from './kind.js';
import { attackKind, attackOf } from './kinds/index.js';

type Def = Pick<Unlocated<AttackDef>, 'kind' | 'settings'>;

/** The descriptor of a checked attack; a kind the checker let through but nobody registered is a bug. */
export { attackOf };

const valuesOf = (def: Def, type: string): SettingValue[] =>
  Object.entries(attackOf(def).settings)
    .filter(([, s]) => s.type === type)
    .map(([k]) => def.settings[k] ?? null);

export const isDataRef = (v: SettingValue): v is DataRef =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'dataset' in v;

/** The shadow/reference model sets an attack uses (its settings of type shadows). */
export const attackShadows = (def: Def): string[] =>
  valuesOf(def, 'shadows').filter((v): v is string => typeof v === 'string');

/** The augmentations it queries (its settings of type augmentations). */
export const attackAugmentations = (def: Def): Augmentation[] => [
  ...valuesOf(def, 'augmentations').flatMap((v) => (isAugmentations(v) ? v : [])),
  ...(attackOf(def).augmentations?.(def.settings) ?? []),
];

/** The data subsets its settings name, by setting. */
export function attackDataRefs(def: Def): { setting: string; ref: DataRef }[] {
  return Object.entries(attackOf(def).settings).flatMap(([k, s]) => {
    const v = def.settings[k] ?? null;
    return s.type === 'data' && isDataRef(v) ? [{ setting: k, ref: v }] : [];
  });
}

export const attackPopulation = (def: Def): PopulationNeed | null => attackOf(def).population?.(def.settings) ?? null;

/** How messages name an attack kind. */
export const attackTitle = (def: Pick<AttackDef, 'kind'>): string => attackKind(def.kind)?.title ?? def.kind;

/**
 * The attack descriptor: everything mia knows about one attack kind, in one object. The checker reads
 * its settings through the schema and asks it what it needs (probabilities, half-sampled shadows, a
 * population); the compiler asks it for its shadow sets, population and augmentations; the worker
 * calls its `score`; `mia attack --signals` calls its `fromSignals`. A new attack is its file plus one
 * line in kinds/index.ts, or `registerAttack` from a plugin module.
 */
import type { Code } from '../lang/codes.js';
import type { Augmentation, DataRef, TrainedShadowsDef } from '../kinds/program.js';
import type { Schema, Settings, SettingsOf } from '../kinds/schema.js';
import type { AttackContext } from './context.js';
import type { ScoredVariant, SignalsEnv } from './signals-input.js';

/** The population records an attack scores against: a subset, or else a sample of a shadow set's pool. */
export interface PopulationNeed {
  /** The subset named in its settings (its records outside the candidates are the population). */
  subset: DataRef | null;
  /** Without a subset: the shadow set whose pool the population is drawn from. */
  poolOf: string | null;
  /** At most this many records, drawn at random (seeded); null: all of them. */
  size: number | null;
}

/** `label_only { method: boundary, … }` is `boundary_distance { … }`: setting, value, and the kind it stands for. */
export interface Forward {
  setting: string;
  value: string;
  to: string;
}

/** What an attack's own consistency checks may do: report at one of its settings, look at shadow sets. */
export interface AttackCheck {
  name: string;
  error(code: Code, message: string, setting: string, hint?: string): void;
  warn(code: Code, message: string, setting: string, hint?: string): void;
  /** A shadow set's name and model count, where the spec tells it (a glob of files is counted at plan time). */
  shadows(name: string): Pick<TrainedShadowsDef, 'name' | 'count'> | undefined;
}

export interface AttackDescriptor<S extends Schema> {
  kind: string;
  /** How messages name it ("LiRA"); the kind by default. */
  title?: string;
  summary: string;
  /** Bumped when its code changes what it outputs: part of its attack jobs' hashes only. */
  version: number;
  settings: S;
  /** Settings that may be given without a name, in this order. */
  positional?: readonly string[];
  /** Whether it reads the target's scores (probabilities or logits); false for label-only attacks. */
  needsProbabilities: boolean;
  /** Whether these settings need shadows sampled `half` (online LiRA and RMIA), and which. */
  needsHalfShadows?(s: SettingsOf<S>): string | null;
  population?(s: SettingsOf<S>): PopulationNeed | null;
  /** Augmented copies it queries beyond its settings of type augmentations (boundary_distance's probes). */
  augmentations?(s: SettingsOf<S>): Augmentation[];
  /** Values of one of its settings that stand for another kind, read as that kind without the setting. */
  forwards?: readonly Forward[];
  /** Checks of settings that only make sense together, and warnings about legal but weak setups. */
  check?(s: SettingsOf<S>, c: AttackCheck): void;
  /** One score per candidate, higher = more likely a member. */
  score(ctx: AttackContext, s: SettingsOf<S>): Float64Array;
  /** The variants it can compute from precomputed signals (`mia attack --signals`), if any. */
  fromSignals?(env: SignalsEnv): ScoredVariant[];
}

/** Any attack descriptor, its settings untyped: what the registry holds and the phases read. */
export interface AnyAttack {
  kind: string;
  title?: string;
  summary: string;
  version: number;
  settings: Schema;
  positional?: readonly string[];
  needsProbabilities: boolean;
  needsHalfShadows?(s: Settings): string | null;
  population?(s: Settings): PopulationNeed | null;
  augmentations?(s: Settings): Augmentation[];
  forwards?: readonly Forward[];
  check?(s: Settings, c: AttackCheck): void;
  score(ctx: AttackContext, s: Settings): Float64Array;
  fromSignals?(env: SignalsEnv): ScoredVariant[];
}

/** Declares an attack; `const` keeps the schema's literal types, so its settings type is inferred. */
export const defineAttack = <const S extends Schema>(d: AttackDescriptor<S>): AttackDescriptor<S> => d;

/**
 * An attack's settings as a user may write them: each value that forwards to another kind (`method: boundary`)
 * listed among its setting's options, so a misspelling gets "did you mean" and the editor offers it. The
 * value itself never reaches the settings reader: the forward is taken before.
 */
export function writtenSettings(d: Pick<AnyAttack, 'settings' | 'forwards'>): Schema {
  const out: Record<string, Schema[string]> = { ...d.settings };
  for (const f of d.forwards ?? []) {
    const s = out[f.setting];
    if (s?.type === 'enum' && !s.options.includes(f.value)) out[f.setting] = { ...s, options: [...s.options, f.value] };
  }
  return out;
}

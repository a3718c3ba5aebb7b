/**
 * Settings as data: the schema every kind (attack, data source, defense) declares for its settings.
 * From it the checker's generic reader parses a kind's settings, the bound and limit rules check them
 * with the schema's own message at the value's place, the sweep knows what it may vary, and
 * scripts/kinds-doc.ts prints the README's tables. `SettingsOf<typeof schema>` is the settings type
 * the kind's implementation receives.
 */
import type { Code } from '../lang/codes.js';
import type { Augmentation, DataRef } from './program.js';

/** The range a number must lie in (the checker's E111/E117 messages say which). */
export type Bound =
  | 'positive'
  | 'atLeast1'
  | 'nonNegative'
  | 'fraction'
  | 'openFraction'
  | 'closedFraction'
  | 'belowHalf';

export type SettingType =
  | {
      type: 'number';
      integer?: boolean;
      /** Accepts `30%` as 0.3. */
      percent?: boolean;
      bound?: Bound;
      /** An upper limit past which the value is almost surely a typo (E118). */
      max?: number;
    }
  | { type: 'enum'; options: readonly string[] }
  | { type: 'boolean' }
  | { type: 'string' }
  /** A list of strings, or (with `auto`) the word auto. */
  | { type: 'strings'; auto?: boolean }
  /** A list of names, `[lira, loss]` (each item's place kept as `KEY.0`, `KEY.1`, ... for the rules). */
  | { type: 'names' }
  /** A number, or one of the words (`threshold: 0.5` or `threshold: split`). */
  | { type: 'numberOrWord'; options: readonly string[]; noun: string }
  /** The name of a `shadows` declaration. */
  | { type: 'shadows' }
  /** The name of a `target` declaration. */
  | { type: 'target' }
  /** A data subset such as `digits.rest`. */
  | { type: 'data' }
  /** A list of augmentations: rotate(d), translate(p), flip_bits(c, m), noise(s, q). */
  | { type: 'augmentations' }
  /** A nested block of settings (`early_stopping: { patience: 3 }`, or written as a call of its key); its value is their record. */
  | { type: 'block'; settings: Schema }
  /**
   * One of several kinds written as a call, each with its own settings (`optimizer: sgd(0.01, momentum: 0.9)`);
   * its value is `{ kind, ...settings }`. An unknown kind is reported with `code`, naming it a `noun`.
   */
  | { type: 'choice'; noun: string; code: Code; options: readonly Choice[] };

/** One kind a `choice` setting may take: its name, its settings, the ones written in order. */
export interface Choice {
  kind: string;
  summary: string;
  positional?: readonly string[];
  settings: Schema;
}

/**
 * `default: null` makes the setting optional with no value; no default makes it required. `label` names
 * it in messages where `The KEY` would not say what it is ("The learning rate"). `keyedAtDefault: false`
 * (a setting added to a kind later) leaves it out of job hashes while it has its default, so the jobs of
 * specs written before it keep their hashes and cache entries. `hint` follows the message of a number
 * outside its bound.
 */
export type Setting = SettingType & {
  doc: string;
  default?: SettingValue;
  label?: string;
  keyedAtDefault?: false;
  hint?: string;
};

/** The settings without those marked `keyedAtDefault: false` that have their default (see Setting). */
export function keyedSettings(schema: Schema, settings: Settings): Settings {
  return Object.fromEntries(
    Object.entries(settings).filter(([k, v]) => {
      const d = schema[k];
      return !(d?.keyedAtDefault === false && 'default' in d && d.default === v);
    }),
  );
}

export type Schema = Readonly<Record<string, Setting>>;

/**
 * A setting read by its own code rather than from a schema (a target source's, the report's), as the
 * editor shows it: how it is written, its default ("required", "none"), what it does, the words it takes,
 * the declared names it takes and the family of its list's items.
 */
export interface SettingDoc {
  type: string;
  default: string;
  doc: string;
  options?: readonly string[];
  names?: 'dataset';
  items?: 'defense' | 'metric' | 'plot';
}

export type SettingValue =
  | number
  | string
  | boolean
  | string[]
  | DataRef
  | Augmentation[]
  | null
  | { readonly [setting: string]: SettingValue };

/** The settings as the reader hands them over, validated against the schema. */
export type Settings = Record<string, SettingValue>;

type BaseOf<S> = S extends { type: 'number' }
  ? number
  : S extends { type: 'enum'; options: readonly (infer O)[] }
    ? O
    : S extends { type: 'boolean' }
      ? boolean
      : S extends { type: 'string' | 'shadows' | 'target' }
        ? string
        : S extends { type: 'strings'; auto: true }
          ? string[] | 'auto'
          : S extends { type: 'strings' | 'names' }
            ? string[]
            : S extends { type: 'numberOrWord'; options: readonly (infer O)[] }
              ? number | O
              : S extends { type: 'data' }
                ? DataRef
                : S extends { type: 'augmentations' }
                  ? Augmentation[]
                  : S extends { type: 'block' | 'choice' }
                    ? Settings
                    : never;

export type ValueOf<S> = S extends { default: null } ? BaseOf<S> | null : BaseOf<S>;

/** The typed settings of a schema. */
export type SettingsOf<S extends Schema> = string extends keyof S
  ? Settings
  : { readonly [K in keyof S]: ValueOf<S[K]> };

/** A list-of-augmentations value (an empty list counts). */
export const isAugmentations = (v: SettingValue | undefined): v is Augmentation[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'object');

/** One line for a table: how a setting is written and what it defaults to. */
export function describeType(d: Setting): string {
  switch (d.type) {
    case 'number': {
      const what = d.integer ? 'integer' : d.percent ? 'number or %' : 'number';
      return d.bound ? `${what}, ${BOUND_TEXT[d.bound]}${d.max !== undefined ? `, at most ${fmt(d.max)}` : ''}` : what;
    }
    case 'enum':
      return d.options.join(' \\| ');
    case 'boolean':
      return 'true \\| false';
    case 'string':
      return 'string';
    case 'strings':
      return d.auto ? 'list of strings \\| auto' : 'list of strings';
    case 'names':
      return 'list of names';
    case 'numberOrWord':
      return `number \\| ${d.options.join(' \\| ')}`;
    case 'shadows':
      return 'shadows name';
    case 'target':
      return 'target name';
    case 'data':
      return 'data subset';
    case 'augmentations':
      return 'list of augmentations';
    case 'block':
      return `{ ${Object.keys(d.settings).join(', ')} }`;
    case 'choice':
      return d.options.map(usage).join(' \\| ');
  }
}

/** How a choice's kind is written: `sgd(rate, momentum)`. */
export const usage = (c: Choice): string => `${c.kind}(${Object.keys(c.settings).join(', ')})`;

export function describeDefault(d: Setting): string {
  if (!('default' in d)) return 'required';
  const v = d.default;
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return v.length ? JSON.stringify(v) : '[]';
  if (typeof v === 'object' && 'dataset' in v) return `${v.dataset}`;
  if (typeof v === 'object') return describeRecord(v);
  return String(v);
}

/** A choice's or block's default: `adam(0.001)`, `{ patience: 3 }`. */
function describeRecord(v: { readonly [k: string]: SettingValue }): string {
  const { kind, ...rest } = v;
  const values = Object.values(rest).map(String);
  return typeof kind === 'string' ? `${kind}(${values.join(', ')})` : `{ ${values.join(', ')} }`;
}

export const BOUND_TEXT: Record<Bound, string> = {
  positive: 'greater than 0',
  atLeast1: 'at least 1',
  nonNegative: 'at least 0',
  fraction: 'at least 0 and below 1',
  openFraction: 'strictly between 0 and 1',
  closedFraction: 'between 0 and 1',
  belowHalf: 'at least 0 and below 0.5',
};

export const BOUND_OK: Record<Bound, (v: number) => boolean> = {
  positive: (v) => v > 0,
  atLeast1: (v) => v >= 1,
  nonNegative: (v) => v >= 0,
  fraction: (v) => v >= 0 && v < 1,
  openFraction: (v) => v > 0 && v < 1,
  closedFraction: (v) => v >= 0 && v <= 1,
  belowHalf: (v) => v >= 0 && v < 0.5,
};

const fmt = (n: number): string => n.toLocaleString('en-US');

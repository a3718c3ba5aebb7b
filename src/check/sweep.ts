/**
 * Sweeps: `sweep { refs.count in [1, 5, 10]; victim.members.size in [500, 1000] }` is a grid of runs.
 * A path names a declaration then one of its settings:
 *   experiment.seed (or NAME.seed for the experiment's name),
 *   SHADOWS.count | size | sampling | model,
 *   TARGET.members.size | nonmembers.size | model,
 *   MODEL.<any scalar training setting>, its optimizer's (rate, momentum) and early_stopping.patience | validation
 *     (also MODEL.train.epochs ...),
 *   ATTACK.<any scalar parameter>, e.g. loss.signal, shokri.per_class, lira.mode,
 *   DATASET.<any scalar setting of its source>, e.g. buys.classes, adult.path.
 * checkSweep validates paths and values; applySweepPoint gives the program of one grid point.
 */
import type { Code } from '../lang/codes.js';
import { match } from 'ts-pattern';
import { attackOf } from '../attacks/needs.js';
import type { Bound, Schema, Setting as SchemaSetting, SettingValue } from '../kinds/schema.js';
import { fieldOf, TRAIN_SCHEMA, trainSettingsOf } from '../ml/train-settings/index.js';
import { LIMITS } from '../kinds/size-limits.js';
import type { Diagnostic } from '../lang/index.js';
import { sourceOf } from '../data/sources/index.js';
import {
  type AttackDef,
  type DataRef,
  type DatasetDef,
  type SweepAxisDef,
  trainedShadows,
  type TypedProgram,
} from '../kinds/program.js';
import { didYouMean } from '../util/suggest.js';
import { trainedModel } from './read/target-sources/index.js';

export type SweepValue = number | string;
export interface SweepAssignment {
  path: string[];
  value: SweepValue;
}

type ValueType =
  | { kind: 'integer'; min: number; max?: number }
  | { kind: 'number'; min?: number; minExclusive?: number; max?: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'string' }
  | { kind: 'boolean' };

interface Setting {
  type: ValueType;
  apply: (p: TypedProgram, v: SweepValue) => void;
}

/** How a sweep may set a schema setting: its value type, or null when a sweep cannot (lists, data, blocks). */
function sweepType(s: SchemaSetting, p: TypedProgram, strings: boolean): ValueType | null {
  return match(s)
    .with({ type: 'shadows' }, (): ValueType => ({ kind: 'enum', values: p.shadows.map((x) => x.name) }))
    .with({ type: 'target' }, (): ValueType => ({ kind: 'enum', values: p.targets.map((t) => t.name) }))
    .with({ type: 'boolean' }, (): ValueType => ({ kind: 'boolean' }))
    .with({ type: 'enum' }, (x): ValueType => ({ kind: 'enum', values: x.options }))
    .with({ type: 'number' }, (x): ValueType => numberType(x.integer === true, x.bound, x.max))
    .with({ type: 'string' }, (): ValueType | null => (strings ? { kind: 'string' } : null))
    .with({ type: 'strings' }, { type: 'names' }, { type: 'data' }, { type: 'augmentations' }, () => null)
    .with({ type: 'numberOrWord' }, () => null)
    .with({ type: 'block' }, { type: 'choice' }, () => null)
    .exhaustive();
}

/** A swept value as its setting's type holds it. */
const valueAs = (type: ValueType, v: SweepValue): number | string | boolean =>
  type.kind === 'boolean'
    ? v === 'true' || v === 1
    : type.kind === 'enum' || type.kind === 'string'
      ? String(v)
      : Number(v);

/** The settings of `schema` a sweep may set, each applied to the settings `of` a program's copy give. */
function schemaSweepSettings(
  p: TypedProgram,
  schema: Schema,
  of: (q: TypedProgram) => Record<string, SettingValue>,
  strings: boolean,
): Map<string, Setting> {
  const out = new Map<string, Setting>();
  for (const [key, s] of Object.entries(schema)) {
    const type = sweepType(s, p, strings);
    if (type)
      out.set(key, {
        type,
        apply: (q, v) => {
          of(q)[key] = valueAs(type, v);
        },
      });
  }
  return out;
}

/** An attack's settings a sweep may set: the scalar ones of its schema (numbers, options, shadows). */
function attackSweepSettings(p: TypedProgram, attack: AttackDef): Map<string, Setting> {
  const of = (q: TypedProgram) => q.attacks.find((x) => x.name === attack.name)!.settings;
  return schemaSweepSettings(p, attackOf(attack).settings, of, false);
}

function numberType(integer: boolean, bound: Bound | undefined, max: number | undefined): ValueType {
  const min = bound === 'atLeast1' ? 1 : bound === undefined ? undefined : 0;
  if (integer) return { kind: 'integer', min: min ?? 0, ...(max === undefined ? {} : { max }) };
  return {
    kind: 'number',
    ...(bound === 'positive' || bound === 'openFraction' ? { minExclusive: 0 } : min === undefined ? {} : { min }),
    ...(bound === 'belowHalf'
      ? { max: 0.5 }
      : bound?.endsWith('raction')
        ? { max: 1 }
        : max === undefined
          ? {}
          : { max }),
  };
}

/** The settings a sweep may set, keyed by the path after the declaration's name. */
function settingsOf(p: TypedProgram, name: string): Map<string, Setting> {
  const out = new Map<string, Setting>();
  const parts: Iterable<[string, Setting]>[] = [
    experimentSweepSettings(p, name),
    targetSweepSettings(p, name),
    shadowsSweepSettings(p, name),
    modelSweepSettings(p, name),
  ];
  const attack = p.attacks.find((a) => a.name === name);
  if (attack) parts.push(attackSweepSettings(p, attack));
  const dataset = p.datasets.find((d) => d.name === name);
  if (dataset) parts.push(datasetSweepSettings(p, dataset));
  for (const part of parts) for (const [k, setting] of part) out.set(k, setting);
  return out;
}

const int1: ValueType = { kind: 'integer', min: 1 };
const upTo = (max: number): ValueType => ({ kind: 'integer', min: 1, max });

/** `experiment.seed` (or the experiment's own name). */
function experimentSweepSettings(p: TypedProgram, name: string): Map<string, Setting> {
  const out = new Map<string, Setting>();
  if (name !== 'experiment' && name !== p.experiment.name) return out;
  out.set('seed', {
    type: { kind: 'integer', min: 0, max: 2 ** 32 - 1 },
    apply: (q, v) => {
      q.experiment.seed = Number(v);
    },
  });
  return out;
}

/** A target's `members.size` and `nonmembers.size` (when a take or sample), and a local target's `model`. */
function targetSweepSettings(p: TypedProgram, name: string): Map<string, Setting> {
  const out = new Map<string, Setting>();
  const t = p.targets.find((x) => x.name === name);
  if (!t) return out;
  const sizeOf = (which: 'members' | 'nonmembers'): Setting => ({
    type: int1,
    apply: (q, v) => {
      const ref: DataRef = q.targets.find((x) => x.name === name)![which];
      const op = ref.ops[0];
      if (op && (op.op === 'take' || op.op === 'sample')) op.n = Number(v);
    },
  });
  for (const which of ['members', 'nonmembers'] as const) {
    const op = t[which].ops[0];
    if (op && (op.op === 'take' || op.op === 'sample')) out.set(`${which}.size`, sizeOf(which));
  }
  if (trainedModel(t) !== null)
    out.set('model', {
      type: { kind: 'enum', values: p.models.map((m) => m.name) },
      apply: (q, v) => {
        const x = q.targets.find((y) => y.name === name)!;
        if (trainedModel(x) !== null) (x as { model: string }).model = String(v);
      },
    });
  return out;
}

/** A shadow set's count, size, sampling and model. */
function shadowsSweepSettings(p: TypedProgram, name: string): Map<string, Setting> {
  const out = new Map<string, Setting>();
  if (!trainedShadows(p.shadows).some((s) => s.name === name)) return out;
  const s = (q: TypedProgram) => trainedShadows(q.shadows).find((x) => x.name === name)!;
  const set = (k: string, type: ValueType, apply: Setting['apply']): void => {
    out.set(k, { type, apply });
  };
  set('count', upTo(LIMITS.shadowCount), (q, v) => {
    s(q).count = Number(v);
  });
  set('size', int1, (q, v) => {
    s(q).size = Number(v);
  });
  set('sampling', { kind: 'enum', values: ['overlapping', 'disjoint', 'half'] }, (q, v) => {
    s(q).sampling = String(v) as 'overlapping';
  });
  set('model', { kind: 'enum', values: p.models.map((m) => m.name) }, (q, v) => {
    s(q).model = String(v);
  });
  return out;
}

/**
 * A model's training settings, each as `KEY` and `train.KEY`: the scalar ones of the train schema
 * (src/ml/train-settings/), its optimizer's by their own names (rate, momentum), and a nested block's
 * as `KEY.SUB` where the model gives the block (early_stopping.patience).
 */
function modelSweepSettings(p: TypedProgram, name: string): Map<string, Setting> {
  const out = new Map<string, Setting>();
  const model = p.models.find((m) => m.name === name);
  if (!model) return out;
  const given = trainSettingsOf(model.train);
  const train = (q: TypedProgram) => q.models.find((x) => x.name === name)!.train;
  const settings = (q: TypedProgram) => train(q) as unknown as Record<string, SettingValue>;
  const parts: Map<string, Setting>[] = [];
  for (const [key, s] of Object.entries(TRAIN_SCHEMA)) {
    const field = (q: TypedProgram) => settings(q)[fieldOf(key)] as Record<string, SettingValue>;
    const v = given[key];
    if (s.type === 'choice') {
      const option = s.options.find((o) => typeof v === 'object' && v !== null && 'kind' in v && o.kind === v.kind);
      if (option) parts.push(schemaSweepSettings(p, option.settings, field, false));
    } else if (s.type === 'block') {
      if (typeof v === 'object' && v !== null)
        parts.push(prefixed(`${key}.`, schemaSweepSettings(p, s.settings, field, false)));
    } else parts.push(schemaSweepSettings(p, { [key]: s }, (q) => settings(q), false));
  }
  for (const [k, v] of parts.flatMap((m) => [...m])) {
    out.set(k, v);
    out.set(`train.${k}`, v);
  }
  return out;
}

const prefixed = (prefix: string, m: Map<string, Setting>): Map<string, Setting> =>
  new Map([...m].map(([k, v]) => [`${prefix}${k}`, v]));

/**
 * A data source's settings a sweep may set: the scalar ones of its schema (numbers, options, strings
 * such as a csv path). Each point's data are then loaded, and cached, by their own content key.
 */
function datasetSweepSettings(p: TypedProgram, dataset: DatasetDef): Map<string, Setting> {
  const of = (q: TypedProgram) => q.datasets.find((x) => x.name === dataset.name)!.source.settings;
  return schemaSweepSettings(p, sourceOf(dataset.source).settings, of, true);
}

function declaredNames(p: TypedProgram): string[] {
  return [
    'experiment',
    p.experiment.name,
    ...p.targets.map((t) => t.name),
    ...p.shadows.map((s) => s.name),
    ...p.models.map((m) => m.name),
    ...p.attacks.map((a) => a.name),
    ...p.datasets.map((d) => d.name),
  ];
}

function checkValue(t: ValueType, v: SweepValue): string | null {
  switch (t.kind) {
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) return `must be a whole number, not ${JSON.stringify(v)}`;
      if (t.max === undefined && v < t.min) return `must be at least ${t.min}, not ${v}`;
      if (v < t.min || (t.max !== undefined && v > t.max)) return `must lie between ${t.min} and ${t.max}, not ${v}`;
      return null;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return `must be a number, not ${JSON.stringify(v)}`;
      if (t.min !== undefined && v < t.min) return `must be at least ${t.min}, not ${v}`;
      if (t.minExclusive !== undefined && v <= t.minExclusive) return `must be more than ${t.minExclusive}, not ${v}`;
      if (t.max !== undefined && v > t.max) return `must be at most ${t.max}, not ${v}`;
      return null;
    case 'boolean':
      return v === 'true' || v === 'false' ? null : `must be true or false, not ${JSON.stringify(v)}`;
    case 'string':
      return typeof v === 'string' ? null : `must be a string, not ${JSON.stringify(v)}`;
    case 'enum':
      return typeof v === 'string' && t.values.includes(v)
        ? null
        : `must be one of ${t.values.join(', ')}, not ${JSON.stringify(v)}.${typeof v === 'string' ? didYouMean(v, t.values) : ''}`;
  }
}

/** Checks that each sweep path names a sweepable setting and its values have the setting's type. */
export function checkSweep(program: TypedProgram): Diagnostic[] {
  const out: Diagnostic[] = [];
  const err = (code: Code, message: string, axis: SweepAxisDef, hint?: string): void => {
    out.push({ code, severity: 'error', file: program.file, range: axis.range, message, ...(hint ? { hint } : {}) });
  };
  const seen = new Set<string>();
  for (const axis of program.sweep) {
    const full = axis.path.join('.');
    if (seen.has(full)) {
      err('E605', `The sweep sets "${full}" twice.`, axis, 'Merge the two lists of values.');
      continue;
    }
    seen.add(full);
    const [head, ...rest] = axis.path;
    if (!head || rest.length === 0) {
      err('E601', `The sweep path "${full}" must name a declaration and one of its settings, e.g. refs.count.`, axis);
      continue;
    }
    const names = declaredNames(program);
    if (!names.includes(head)) {
      err(
        'E601',
        `Unknown name "${head}" in the sweep path "${full}".${didYouMean(head, names)}`,
        axis,
        'Start the path with a dataset, target, shadows, model or attack name, or experiment.',
      );
      continue;
    }
    const settings = settingsOf(program, head);
    const key = rest.join('.');
    const setting = settings.get(key);
    if (!setting) {
      const keys = [...settings.keys()];
      err(
        'E602',
        `"${head}" has no setting "${key}" a sweep can vary.${didYouMean(key, keys)}`,
        axis,
        keys.length ? `Sweepable settings of "${head}": ${keys.join(', ')}.` : undefined,
      );
      continue;
    }
    if (axis.values.length === 0) {
      err('E604', `The sweep over "${full}" has no values.`, axis, 'List at least one value.');
      continue;
    }
    for (const v of axis.values) {
      const why = checkValue(setting.type, v);
      if (why) err('E603', `A value of the sweep over "${full}" ${why}`, axis);
    }
    if (new Set(axis.values.map((v) => JSON.stringify(v))).size !== axis.values.length)
      err('E606', `The sweep over "${full}" lists a value twice.`, axis, 'List each value once.');
  }
  return out;
}

/**
 * The grid points of the sweep, the first axis varying slowest, at most `max` of them (a grid past the
 * limit on points is refused at check, E119, but the checker still looks at its first points); one
 * empty point without a sweep.
 */
export function sweepPoints(program: Pick<TypedProgram, 'sweep'>, max = Infinity): SweepAssignment[][] {
  const axes = program.sweep;
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  const out: SweepAssignment[][] = [];
  for (let i = 0; i < Math.min(total, max); i++) {
    let rest = i;
    const point: SweepAssignment[] = [];
    for (let k = axes.length - 1; k >= 0; k--) {
      const axis = axes[k]!;
      point.unshift({ path: axis.path, value: axis.values[rest % axis.values.length]! });
      rest = Math.floor(rest / axis.values.length);
    }
    out.push(point);
  }
  return out;
}

/** The program of one grid point: the assignments applied, and no sweep left. */
export function applySweepPoint(program: TypedProgram, assignments: readonly SweepAssignment[]): TypedProgram {
  const q = structuredClone(program);
  q.sweep = [];
  for (const a of assignments) {
    const [head, ...rest] = a.path;
    const setting = head === undefined ? undefined : settingsOf(q, head).get(rest.join('.'));
    if (!setting)
      throw new Error(`The sweep path "${a.path.join('.')}" is not a sweepable setting (checkSweep reports this).`);
    setting.apply(q, a.value);
  }
  return q;
}

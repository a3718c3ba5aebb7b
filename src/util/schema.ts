/**
 * zod schemas of the files and lines mia reads and writes (results.json, signals files, --json events),
 * said to a user as one line naming the first wrong field, `runs[0].attacks[2].metrics.auc must be a number
 * (it is a string)`, and turned into JSON Schema for the package (dist/schemas/, `npm run build`).
 */
import { z } from 'zod';

/**
 * A long array of numbers (a per-record column of results.json): checked in one loop that stops at the
 * first wrong entry, not entry by entry through zod, which took 18 s for 5 million numbers here and,
 * for 5 million wrong ones, 2 GB of issues. In JSON Schema it is an array of numbers.
 */
export const column = z
  .custom<number[]>((v) => Array.isArray(v))
  .superRefine((v, ctx) => {
    for (let i = 0; i < v.length; i++)
      if (typeof v[i] !== 'number') {
        ctx.addIssue({ code: 'invalid_type', expected: 'number', input: v[i], path: [i] });
        return;
      }
  });

type Schema = z.core.$ZodType;
/** The parts of a zod definition this file reads. */
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  element?: Schema;
  items?: readonly Schema[];
  valueType?: Schema;
  innerType?: Schema;
  options?: readonly Schema[];
  values?: readonly unknown[];
  entries?: Record<string, unknown>;
}
const defOf = (s: Schema): Def => s._zod.def as unknown as Def;
const NUMBER = z.number();

/** The schema at `key` below `s` (through optional and nullable), or null where it cannot tell. */
function below(s: Schema, key: PropertyKey): Schema | null {
  if (s === column) return NUMBER;
  const d = defOf(s);
  switch (d.type) {
    case 'optional':
    case 'nullable':
      return below(d.innerType!, key);
    case 'object':
      return d.shape![String(key)] ?? null;
    case 'array':
      return d.element!;
    case 'tuple':
      return d.items![Number(key)] ?? null;
    case 'record':
      return d.valueType!;
    case 'union':
      return d.options!.map((o) => below(o, key)).find((x) => x !== null) ?? null;
    default:
      return null;
  }
}

const article = (s: string): string => s.replace(/^an? /, '');

/** What a value of `s` is, in words: "a number", "an array of strings", "a number or null". */
export function describe(s: Schema): string {
  if (s === column) return 'an array of numbers';
  const d = defOf(s);
  switch (d.type) {
    case 'number':
    case 'string':
      return `a ${d.type}`;
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'optional':
      return describe(d.innerType!);
    case 'nullable':
      return `${describe(d.innerType!)} or null`;
    case 'array':
      return `an array of ${article(describe(d.element!))}s`;
    case 'tuple':
      return `an array of ${d.items!.length} ${article(describe(d.items![0]!))}s`;
    case 'union':
      return d.options!.map(describe).join(' or ');
    case 'literal':
      return d.values!.map((v) => JSON.stringify(v)).join(' or ');
    case 'enum':
      return Object.values(d.entries!)
        .map((v) => JSON.stringify(v))
        .join(' or ');
    default:
      return 'an object';
  }
}

/** A field's place, as one would write it in JavaScript: `runs[0].target.name`, `tprAtFpr["0.01"]`. */
export function child(path: string, key: PropertyKey): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const k = String(key);
  if (/^[A-Za-z_$][\w$]*$/.test(k)) return path ? `${path}.${k}` : k;
  return `${path}[${JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k)}]`;
}

export const pathText = (keys: readonly PropertyKey[]): string => keys.reduce<string>(child, '');

/** The kind of a value, in words: "a string", "an array", "null". */
export const what = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function valueAt(v: unknown, keys: readonly PropertyKey[]): unknown {
  let x = v;
  for (const k of keys) x = isObject(x) && Object.hasOwn(x, k) ? (x as Record<PropertyKey, unknown>)[k] : undefined;
  return x;
}

function schemaAt(s: Schema, keys: readonly PropertyKey[]): Schema | null {
  let x: Schema | null = s;
  for (const k of keys) x = x && below(x, k);
  return x;
}

/** A refinement's issue saying `problem(v)` at the value's own place (a problem starting with "." names a field of it). */
export const refine =
  <T>(problem: (v: T) => string | null) =>
  (v: T, ctx: z.RefinementCtx): void => {
    const p = problem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p, params: { said: true } });
  };

export interface Problem {
  /** Where, as keys from the top. */
  path: PropertyKey[];
  /** One line without a final period: `runs[0].target.name must be a string (it is a number)`. */
  message: string;
}

/** The first problem of `v` against `s`, said plainly, or null when `v` matches. */
export function firstProblem(s: Schema, v: unknown): Problem | null {
  const r = z.safeParse(s, v);
  if (r.success) return null;
  return sayIssue(s, v, r.error.issues[0]!, []);
}

function sayIssue(s: Schema, v: unknown, issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): Problem {
  const keys = [...prefix, ...issue.path];
  const place = pathText(keys);
  if (issue.code === 'custom' && issue.params?.said) {
    const m = issue.message;
    return { path: keys, message: place ? `${place}${m.startsWith('.') ? '' : ' '}${m}` : m };
  }
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const known = Object.keys(defOf(schemaAt(s, keys) ?? s).shape ?? {});
    return {
      path: [...keys, key],
      message: `${child(place, key)} is not a field mia knows${known.length ? ` (the fields are ${known.join(', ')})` : ''}`,
    };
  }
  if (issue.code === 'invalid_union') {
    // an alternative that fits the value's type but not deeper down (a field of an object) says what is wrong there
    const deeper = issue.errors.map((e) => e[0]).find((e) => e !== undefined && e.path.length > 0);
    if (deeper) return sayIssue(s, v, deeper, keys);
  }
  const here = schemaAt(s, keys);
  const value = valueAt(v, keys);
  const must = here ? describe(here) : 'something else';
  if (value === undefined && keys.length > 0 && isObject(valueAt(v, keys.slice(0, -1))))
    return { path: keys, message: `${place} is missing (it must be ${must})` };
  return { path: keys, message: `${place || 'the file'} must be ${must} (it is ${what(value)})` };
}

/** The JSON Schema (draft 2020-12) of `s`: the columns as arrays of numbers. */
export function jsonSchemaOf(
  s: Schema,
  meta: { $id: string; title: string; description: string },
  custom: ReadonlyMap<Schema, object> = new Map(),
): object {
  const json = z.toJSONSchema(s, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      if (ctx.zodSchema === column) Object.assign(ctx.jsonSchema, { type: 'array', items: { type: 'number' } });
      const own = custom.get(ctx.zodSchema);
      if (own) Object.assign(ctx.jsonSchema, own);
    },
  });
  const { $schema, ...rest } = json as Record<string, unknown>;
  return { $schema, ...meta, ...rest };
}

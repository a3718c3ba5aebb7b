/**
 * What a results.json holds, as data: `mia report` and `mia compare` check a file against it before
 * anything reads it, and a file that does not match is refused with the first field that is wrong
 * (`runs[0].attacks[2].metrics.auc must be a number (it is a string)`). The interfaces of results.ts
 * and audit.ts say the same in types; a field added there is one line here.
 *
 * Objects are open: a field the schema does not name is accepted and ignored (a newer mia's provenance,
 * say). That is safe because nothing reads such a field: the report and compare read named fields only,
 * and the objects whose keys they do read (params, tprAtFpr, details) are maps with every value checked.
 */

export type Schema =
  | { kind: 'number' | 'string' | 'boolean' | 'null' }
  | { kind: 'array'; of: Schema }
  | { kind: 'tuple'; of: readonly Schema[] }
  | { kind: 'map'; of: Schema }
  | { kind: 'object'; fields: Readonly<Record<string, Field>>; check?: (v: Record<string, unknown>) => string | null }
  | { kind: 'either'; of: readonly Schema[] };

export interface Field {
  schema: Schema;
  optional: boolean;
}

const number: Schema = { kind: 'number' };
const string: Schema = { kind: 'string' };
const boolean: Schema = { kind: 'boolean' };
const array = (of: Schema): Schema => ({ kind: 'array', of });
const map = (of: Schema): Schema => ({ kind: 'map', of });
const nullable = (s: Schema): Schema => ({ kind: 'either', of: [s, { kind: 'null' }] });
const optional = (s: Schema): Field => ({ schema: s, optional: true });
const object = (
  fields: Record<string, Schema | Field>,
  check?: (v: Record<string, unknown>) => string | null,
): Schema => ({
  kind: 'object',
  fields: Object.fromEntries(
    Object.entries(fields).map(([k, f]) => [k, 'optional' in f ? f : { schema: f, optional: false }]),
  ),
  ...(check ? { check } : {}),
});
const interval: Schema = { kind: 'tuple', of: [number, number] };

/** Scores and membership the ROC is drawn from: equal lengths, members 0 or 1, both present. */
function sampleProblem(v: Record<string, unknown>): string | null {
  const { record, label, score, member } = v as Record<string, number[]>;
  const n = member!.length;
  if (score!.length !== n || record!.length !== n || label!.length !== n)
    return `has ${record!.length} records, ${label!.length} labels, ${score!.length} scores and ${n} membership flags; they must be as many`;
  if (member!.some((m) => m !== 0 && m !== 1)) return '.member must hold only 0 and 1';
  if (!member!.includes(1) || !member!.includes(0)) return '.member must hold both members (1) and non-members (0)';
  return null;
}

const summaryFields = () => ({
  auc: number,
  tprAtFpr: map(number),
  balancedAccuracy: number,
  advantage: number,
  threshold: number,
  precision: number,
  recall: number,
  ci: optional(object({ auc: interval, tprAtFpr: map(interval), resamples: optional(number) })),
});
const summary = object(summaryFields());

// ---- Issue 27 (records and slices, src/report/records.ts): every schema addition of it is in this block. ----
const flag = object({ reason: string, message: string, levels: optional(array(string)) });
const sliceSummary = object({ ...summaryFields(), flags: optional(array(flag)) });
const slice = object({
  by: string,
  value: { kind: 'either', of: [number, string] },
  members: number,
  nonMembers: number,
  metrics: nullable(sliceSummary),
  reason: nullable(string),
});
const exposureFields = {
  exposure: optional(object({ prior: number, risk: array(number), rank: array(number) })),
  slices: optional(array(slice)),
  worstSlice: optional(nullable(object({ by: string, value: { kind: 'either', of: [number, string] }, auc: number }))),
};
/** The most feature values a shown record may have (a 256×256 RGB image): the page draws each. */
export const MAX_SHOWN_FEATURES = 256 * 256 * 3;
const runRecords = optional(
  object(
    {
      kind: string,
      shape: array(number),
      prediction: array(number),
      top: array(object({ record: number, features: array(number) })),
    },
    recordsProblem,
  ),
);
/** Risks and ranks one per sample, and in range. */
function exposureProblem(v: Record<string, unknown>): string | null {
  const e = v.exposure as { risk: number[]; rank: number[]; prior: number } | undefined;
  const n = (v.samples as { member: number[] }).member.length;
  if (!e) return null;
  if (e.risk.length !== n || e.rank.length !== n)
    return `.exposure has ${e.risk.length} risks and ${e.rank.length} ranks for ${n} records; they must be as many`;
  if (e.risk.some((r) => !(r >= 0 && r <= 1)) || !(e.prior > 0 && e.prior < 1))
    return '.exposure must hold a prior and risks between 0 and 1';
  if (e.rank.some((r) => !Number.isInteger(r) || r < 1 || r > n))
    return `.exposure.rank must hold ranks from 1 to ${n}`;
  return null;
}
/** A record's shape and features agree, and are small enough to draw. */
function recordsProblem(v: Record<string, unknown>): string | null {
  const { shape, top, kind } = v as { shape: number[]; top: { features: number[] }[]; kind: string };
  const size = shape.reduce((a, b) => a * b, 1);
  if (kind !== 'image' && kind !== 'tabular') return `.kind must be "image" or "tabular", not ${JSON.stringify(kind)}`;
  if (shape.some((d) => !Number.isInteger(d) || d < 1) || size > MAX_SHOWN_FEATURES)
    return `.shape must be whole positive sizes of at most ${MAX_SHOWN_FEATURES} values in all`;
  if (top.some((t) => t.features.length !== size)) return `.top must hold records of ${size} features (the shape)`;
  return null;
}
// ---- end of issue 27's block ----

const attack = object(
  {
    name: string,
    kind: string,
    metrics: summary,
    perClass: array(
      object({
        class: { kind: 'either', of: [number, string] },
        members: number,
        nonMembers: number,
        metrics: nullable(summary),
        reason: nullable(string),
      }),
    ),
    samples: object(
      { record: array(number), label: array(number), score: array(number), member: array(number) },
      sampleProblem,
    ),
    excluded: optional(object({ count: number, records: array(number), reason: string })),
    ...exposureFields,
  },
  exposureProblem,
);

const target = object({
  name: string,
  trainAccuracy: nullable(number),
  testAccuracy: nullable(number),
  generalizationGap: nullable(number),
  trainLoss: number,
  testLoss: number,
  vulnerability: nullable(number),
  defenses: optional(array(string)),
  epsilon: optional(number),
  delta: optional(number),
  noise: optional(number),
  privacy: optional(
    object({
      epsilon: number,
      delta: number,
      noise: number,
      steps: number,
      sampling: number,
      clip: number,
      accountant: optional(string),
    }),
  ),
  queries: optional(number),
});

const audit = object({
  confidence: number,
  delta: number,
  threshold: string,
  canaries: object({ in: number, out: number, mislabel: boolean, repeat: number }),
  claimedEpsilon: nullable(number),
  accountant: optional(string),
  failed: boolean,
  attacks: array(
    object({
      attack: string,
      estimates: array(
        object({
          method: string,
          epsilon: number,
          threshold: nullable(number),
          counts: object({ in: number, out: number, guesses: number, correct: number }),
          details: map(number),
        }),
      ),
      canaries: object({ record: array(number), in: array(number), score: array(number) }),
    }),
  ),
});

const shadowData = object({
  dataset: string,
  kind: string,
  records: number,
  queries: number,
  target: optional(string),
  budget: optional(number),
  failures: optional(array(number)),
});

const setting: Schema = { kind: 'either', of: [number, string] };

/** The most attack results (a histogram each, a curve in a ROC) a page is drawn for: beyond, the file is refused, not drawn for minutes. */
export const MAX_ATTACK_RESULTS = 2000;

function sizeProblem(v: Record<string, unknown>): string | null {
  const runs = v.runs as { attacks: unknown[] }[];
  const n = runs.reduce((sum, r) => sum + r.attacks.length, 0);
  return n > MAX_ATTACK_RESULTS
    ? `runs hold ${n} attack results; mia reports on at most ${MAX_ATTACK_RESULTS} (a plot each)`
    : null;
}

export const RESULTS_SCHEMA: Schema = object(
  {
    experiment: string,
    seed: number,
    backend: string,
    mia: string,
    expectations: optional(
      array(
        object({
          expectation: string,
          holds: boolean,
          points: array(object({ params: map(setting), value: nullable(number), holds: boolean })),
        }),
      ),
    ),
    runs: array(
      object({
        params: map(setting),
        target,
        attacks: array(attack),
        shadowData: optional(array(shadowData)),
        audit: optional(audit),
        records: runRecords,
      }),
    ),
  },
  sizeProblem,
);

/** A field's place in the file, as one would write it in JavaScript: `runs[0].target.name`, `tprAtFpr["0.01"]`. */
function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
}

const what = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

function describe(s: Schema): string {
  switch (s.kind) {
    case 'number':
    case 'string':
    case 'boolean':
      return s.kind === 'boolean' ? 'true or false' : `a ${s.kind}`;
    case 'null':
      return 'null';
    case 'array':
      return `an array of ${describe(s.of).replace(/^an? /, '')}s`;
    case 'tuple':
      return `an array of ${s.of.length} numbers`;
    case 'map':
    case 'object':
      return 'an object';
    case 'either':
      return s.of.map(describe).join(' or ');
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first field of `v` that does not match `s`, as "PATH must be …", or null when it all matches. */
export function schemaProblem(s: Schema, v: unknown, path = ''): string | null {
  const wrong = (): string => `${path || 'the file'} must be ${describe(s)} (it is ${what(v)})`;
  switch (s.kind) {
    case 'number':
    case 'string':
    case 'boolean':
      return typeof v === s.kind ? null : wrong();
    case 'null':
      return v === null ? null : wrong();
    case 'either':
      return eitherProblem(s.of, v, path);
    case 'array':
      if (!Array.isArray(v)) return wrong();
      return firstOf(v, (x, i) => schemaProblem(s.of, x, child(path, i)));
    case 'tuple':
      if (!Array.isArray(v) || v.length !== s.of.length) return wrong();
      return firstOf(v, (x, i) => schemaProblem(s.of[i]!, x, child(path, i)));
    case 'map':
      if (!isObject(v)) return wrong();
      return firstOf(Object.entries(v), ([k, x]) => schemaProblem(s.of, x, child(path, k)));
    case 'object':
      return isObject(v) ? objectProblem(s, v, path) : wrong();
  }
}

/** Null when an alternative fits; else the problem inside the alternative of v's own type (a field of a nullable object), else a wrong type. */
function eitherProblem(of: readonly Schema[], v: unknown, path: string): string | null {
  const problems = of.map((x) => schemaProblem(x, v, path));
  if (problems.includes(null)) return null;
  const typeMismatch = `${path || 'the file'} must be `;
  return (
    problems.find((p) => !p!.startsWith(typeMismatch)) ??
    `${typeMismatch}${of.map(describe).join(' or ')} (it is ${what(v)})`
  );
}

function objectProblem(
  s: Extract<Schema, { kind: 'object' }>,
  v: Record<string, unknown>,
  path: string,
): string | null {
  for (const [k, f] of Object.entries(s.fields)) {
    if (!Object.hasOwn(v, k) || v[k] === undefined) {
      if (f.optional) continue;
      return `${child(path, k)} is missing (it must be ${describe(f.schema)})`;
    }
    const p = schemaProblem(f.schema, v[k], child(path, k));
    if (p) return p;
  }
  const bad = s.check?.(v);
  if (!bad) return null;
  return path ? `${path}${bad.startsWith('.') ? '' : ' '}${bad}` : bad;
}

function firstOf<T>(xs: readonly T[], f: (x: T, i: number) => string | null): string | null {
  for (let i = 0; i < xs.length; i++) {
    const p = f(xs[i]!, i);
    if (p) return p;
  }
  return null;
}

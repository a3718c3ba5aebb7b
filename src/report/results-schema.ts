/**
 * What a results.json holds, defined once with zod: `mia report` and `mia compare` (and the library's
 * readResults) check a file against it before anything reads it, every results.json mia writes is checked
 * against it before it is written, and `npm run build` turns it into dist/schemas/results.schema.json.
 * A field added to results.ts or audit.ts is one line here, in the block of its object.
 *
 * Two forms of one definition. Readers use the open form: a field the schema does not name is accepted
 * and ignored (a newer mia's results read by an older one); that is safe because nothing reads such a field.
 * The writer uses the closed form: a field mia writes but the schema does not name is a bug, caught by
 * every test that writes a results.json.
 */
import { z } from 'zod';
import { column, firstProblem, refine } from '../util/schema.js';

/** The most attack results (a histogram each, a curve in a ROC) a page is drawn for: beyond, the file is refused, not drawn for minutes. */
export const MAX_ATTACK_RESULTS = 2000;

/** Scores and membership the ROC is drawn from: equal lengths, members 0 or 1, both present. */
function sampleProblem(v: { record: number[]; label: number[]; score: number[]; member: number[] }): string | null {
  const { record, label, score, member } = v;
  const n = member.length;
  if (score.length !== n || record.length !== n || label.length !== n)
    return `has ${record.length} records, ${label.length} labels, ${score.length} scores and ${n} membership flags; they must be as many`;
  if (member.some((m) => m !== 0 && m !== 1)) return '.member must hold only 0 and 1';
  if (!member.includes(1) || !member.includes(0)) return '.member must hold both members (1) and non-members (0)';
  return null;
}

function sizeProblem(v: { runs: { attacks: unknown[] }[] }): string | null {
  const n = v.runs.reduce((sum, r) => sum + r.attacks.length, 0);
  return n > MAX_ATTACK_RESULTS
    ? `runs hold ${n} attack results; mia reports on at most ${MAX_ATTACK_RESULTS} (a plot each)`
    : null;
}

/** The most feature values a shown record may have (a 256×256 RGB image): the page draws each. */
export const MAX_SHOWN_FEATURES = 256 * 256 * 3;

/** Risks and ranks one per sample, and in range (src/report/records.ts). */
function exposureProblem(v: {
  samples: { member: number[] };
  exposure?: { prior: number; risk: number[]; rank: number[] };
}): string | null {
  const e = v.exposure;
  const n = v.samples.member.length;
  if (!e) return null;
  if (e.risk.length !== n || e.rank.length !== n)
    return `.exposure has ${e.risk.length} risks and ${e.rank.length} ranks for ${n} records; they must be as many`;
  if (e.risk.some((r) => !(r >= 0 && r <= 1)) || !(e.prior > 0 && e.prior < 1))
    return '.exposure must hold a prior and risks between 0 and 1';
  if (e.rank.some((r) => !Number.isInteger(r) || r < 1 || r > n))
    return `.exposure.rank must hold ranks from 1 to ${n}`;
  return null;
}

/** A shown record's shape and features agree, and are small enough to draw. */
function recordsProblem(v: { kind: string; shape: number[]; top: { features: number[] }[] }): string | null {
  const { shape, top, kind } = v;
  const size = shape.reduce((a, b) => a * b, 1);
  if (kind !== 'image' && kind !== 'tabular') return `.kind must be "image" or "tabular", not ${JSON.stringify(kind)}`;
  if (shape.some((d) => !Number.isInteger(d) || d < 1) || size > MAX_SHOWN_FEATURES)
    return `.shape must be whole positive sizes of at most ${MAX_SHOWN_FEATURES} values in all`;
  if (top.some((t) => t.features.length !== size)) return `.top must hold records of ${size} features (the shape)`;
  return null;
}

type ObjectOf = typeof z.looseObject;
const number = z.number();
const string = z.string();
const interval = z.tuple([number, number]);
const setting = z.union([number, string]);

/** An attack's metrics and the attack's entry of results.json. */
function attackSchemas(object: ObjectOf) {
  // results.ts Summary (src/metrics/summarize.ts), MetricFlag (src/metrics/flags.ts)
  const summary = object({
    auc: number,
    tprAtFpr: z.record(string, number),
    balancedAccuracy: number,
    advantage: number,
    threshold: number,
    precision: number,
    recall: number,
    ci: object({ auc: interval, tprAtFpr: z.record(string, interval), resamples: number.optional() }).optional(),
    flags: z.array(object({ reason: string, message: string, levels: z.array(string).optional() })).optional(),
  });

  // records.ts AttackExposure: per-record risk and rank, class slices, the worst slice
  const slice = object({
    by: string,
    value: setting,
    members: number,
    nonMembers: number,
    metrics: summary.nullable(),
    reason: string.nullable(),
  });
  const exposure = {
    exposure: object({ prior: number, risk: column, rank: column }).optional(),
    slices: z.array(slice).optional(),
    worstSlice: object({ by: string, value: setting, auc: number }).nullable().optional(),
  };

  // results.ts AttackResult
  const attack = object({
    name: string,
    kind: string,
    metrics: summary,
    perClass: z.array(
      object({
        class: setting,
        members: number,
        nonMembers: number,
        metrics: summary.nullable(),
        reason: string.nullable(),
      }),
    ),
    samples: object({ record: column, label: column, score: column, member: column }).superRefine(
      refine(sampleProblem),
    ),
    excluded: object({ count: number, records: column, reason: string }).optional(),
    ...exposure,
  }).superRefine(refine(exposureProblem));

  // records.ts RunRecords: the run's predictions and the most exposed records' features
  const records = object({
    kind: string,
    shape: z.array(number),
    prediction: column,
    top: z.array(object({ record: number, features: column })),
  }).superRefine(refine(recordsProblem));

  return { summary, attack, records };
}

/** The target, the audit and the synthesised shadow data of a run. */
function runPartSchemas(object: ObjectOf) {
  // results.ts TargetResult, PrivacyRecord (src/defenses/defense.ts)
  const target = object({
    name: string,
    trainAccuracy: number.nullable(),
    testAccuracy: number.nullable(),
    generalizationGap: number.nullable(),
    trainLoss: number,
    testLoss: number,
    vulnerability: number.nullable(),
    defenses: z.array(string).optional(),
    epsilon: number.optional(),
    delta: number.optional(),
    noise: number.optional(),
    privacy: object({
      epsilon: number,
      delta: number,
      noise: number,
      steps: number,
      sampling: number,
      clip: number,
      accountant: string.optional(),
    }).optional(),
    queries: number.optional(),
  });

  // audit.ts AttackAudit, RunAudit
  const auditAttack = object({
    attack: string,
    estimates: z.array(
      object({
        method: string,
        epsilon: number,
        threshold: number.nullable(),
        counts: object({ in: number, out: number, guesses: number, correct: number }),
        details: z.record(string, number),
      }),
    ),
    canaries: object({ record: column, in: column, score: column }),
  });
  const audit = object({
    confidence: number,
    delta: number,
    threshold: string,
    canaries: object({ in: number, out: number, mislabel: z.boolean(), repeat: number }),
    claimedEpsilon: number.nullable(),
    accountant: string.optional(),
    failed: z.boolean(),
    attacks: z.array(auditAttack),
  });

  return { target, auditAttack, audit };
}

/** Shadow data synthesised for a run. */
function shadowDataSchema(object: ObjectOf) {
  // results.ts ShadowDataResult
  return object({
    dataset: string,
    kind: string,
    records: number,
    queries: number,
    target: string.optional(),
    budget: number.optional(),
    failures: z.array(number).optional(),
  });
}

/** Where the results came from. */
function provenanceSchema(object: ObjectOf) {
  // results.ts Provenance (written by mia run; absent in mia attack's results and older files)
  return object({
    spec: object({
      path: string,
      sha256: string,
      files: z.array(object({ path: string, sha256: string, text: string })),
    }),
    settings: object({
      models: z.array(z.record(string, z.unknown())),
      targets: z.array(z.record(string, z.unknown())),
      shadows: z.array(z.record(string, z.unknown())),
      attacks: z.array(z.record(string, z.unknown())),
    }),
    invocation: object({
      argv: z.array(string),
      git: object({ revision: string, dirty: z.boolean().nullable() }).nullable(),
      // mia run --queue: the queue (credentials masked), its workers and which ran each job
      queue: object({
        url: string,
        workers: z.array(object({ worker: string, host: string, slots: number, jobs: number, ms: number })),
        ranBy: z.record(string, string),
      }).optional(),
    }),
  });
}

/** The schema of results.json and its parts; `open`: extra fields accepted (readers), or refused (the writer). */
function resultsSchemas(open: boolean) {
  const object = open ? z.looseObject : (z.strictObject as ObjectOf);
  const { summary, attack, records } = attackSchemas(object);
  const { target, auditAttack, audit } = runPartSchemas(object);
  const shadowData = shadowDataSchema(object);
  const provenance = provenanceSchema(object);

  // summary.ts RunSummary: a run without per-record samples (the --json line resultsWritten)
  const runSummary = object({
    params: z.record(string, setting),
    target,
    attacks: z.array(object({ name: string, kind: string, metrics: summary })),
    shadowData: z.array(shadowData).optional(),
    audit: audit.extend({ attacks: z.array(auditAttack.omit({ canaries: true })) }).optional(),
    sliceLines: z.array(string).optional(),
  });

  // expectations.ts ExpectationResult
  const expectation = object({
    expectation: string,
    holds: z.boolean(),
    points: z.array(
      object({
        params: z.record(string, setting),
        value: number.nullable(),
        holds: z.boolean(),
        slice: string.optional(),
        reason: string.optional(),
      }),
    ),
  });

  // results.ts ResultsJson
  const results = object({
    experiment: string,
    seed: number,
    backend: string,
    mia: string,
    expectations: z.array(expectation).optional(),
    runs: z.array(
      object({
        params: z.record(string, setting),
        target,
        attacks: z.array(attack),
        shadowData: z.array(shadowData).optional(),
        audit: audit.optional(),
        records: records.optional(),
      }),
    ),
    provenance: provenance.optional(),
  }).superRefine(refine(sizeProblem));
  return { results, runSummary, expectation };
}

/** What readers accept: fields the schema does not name are ignored. */
export const OPEN = resultsSchemas(true);
/** What mia writes: exactly the fields the schema names. */
export const CLOSED = resultsSchemas(false);
export const RESULTS_SCHEMA = OPEN.results;
export const RESULTS_SCHEMA_CLOSED = CLOSED.results;

/** The first field of a results.json that does not match, as "PATH must be …" (or "PATH is missing …"), or null. */
export function resultsProblem(v: unknown, schema: z.ZodType = RESULTS_SCHEMA): string | null {
  return firstProblem(schema, v)?.message ?? null;
}

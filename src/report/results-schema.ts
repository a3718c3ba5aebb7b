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
  });

  return { summary, attack };
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
    }),
  });
}

/** The schema of results.json and its parts; `open`: extra fields accepted (readers), or refused (the writer). */
function resultsSchemas(open: boolean) {
  const object = open ? z.looseObject : (z.strictObject as ObjectOf);
  const { summary, attack } = attackSchemas(object);
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
  });

  // expectations.ts ExpectationResult
  const expectation = object({
    expectation: string,
    holds: z.boolean(),
    points: z.array(object({ params: z.record(string, setting), value: number.nullable(), holds: z.boolean() })),
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

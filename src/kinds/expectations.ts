/**
 * Privacy expectations (`expect { lira.tpr@0.1% < 2%, victim.test_accuracy >= 85% }`): what they name,
 * resolved against the program's attacks and targets. One resolver serves the checker (which reports
 * what does not resolve) and the evaluation after a run (src/report/expectations.ts).
 */
import type { Code } from '../lang/codes.js';
import type { CompareOp, Range } from '../lang/index.js';
import { type MetricSpec, PLAIN_METRICS, type SliceDef } from './program.js';

/** One step of a metric path after its subject: `tpr@0.1%` is `{ name: 'tpr', level: 0.001 }`. */
export interface ExpectPart {
  name: string;
  /** The `@` level as a fraction; null when written without one. */
  level: number | null;
}

/** An expectation as written: `subject.parts op bound`. Percentages are fractions (`2%` = 0.02). */
export interface ExpectationDef {
  /** The expectation in canonical source form, e.g. `lira.tpr@0.1% < 2%`. */
  text: string;
  subject: string;
  parts: ExpectPart[];
  op: CompareOp;
  bound: number;
  range?: Range;
  /** `lira[class].…`, `lira["sex"].…`: the expectation holds over every slice of these (absent: the whole). */
  slice?: SliceDef;
}

export const TARGET_METRICS = [
  'train_accuracy',
  'test_accuracy',
  'generalization_gap',
  'train_loss',
  'test_loss',
  'vulnerability',
] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];

/** The point value, or an end of its bootstrap 95% interval (`.ci.lower`, `.ci.upper`). */
export type IntervalEnd = 'value' | 'lower' | 'upper';

export type ExpectSubject =
  | { of: 'attack'; attack: string; metric: MetricSpec; end: IntervalEnd; slice?: SliceDef }
  | { of: 'target'; target: string; metric: TargetMetric }
  | { of: 'audit'; attack: string; method: string };

export interface ExpectNames {
  attacks: readonly string[];
  targets: readonly string[];
  /** The audit block's attacks and methods, once the language has one; null without it. */
  audit: { attacks: readonly string[]; methods: readonly string[] } | null;
}

/** Why an expectation does not resolve; `at` says which part of it the message is about. */
export interface ExpectProblem {
  code: Code;
  message: string;
  hint?: string;
  at: 'subject' | 'metric';
}

export type Resolved = { ok: true; subject: ExpectSubject } | { ok: false; problem: ExpectProblem };

const fail = (p: ExpectProblem): Resolved => ({ ok: false, problem: p });
/** An expectation quoted in a message, cut at 80 characters. */
const short = (text: string): string => (text.length > 80 ? `${text.slice(0, 79)}…` : text);
const pct = (x: number): string => `${+(x * 100).toPrecision(6)}%`;

/** Resolves an expectation's subject and metric; `didYouMean` comes from the caller (the checker's suggest). */
export function resolveExpectation(
  def: ExpectationDef,
  names: ExpectNames,
  didYouMean: (name: string, options: readonly string[]) => string = () => '',
): Resolved {
  const { subject, parts } = def;
  if (def.slice && (names.targets.includes(subject) || subject === 'audit'))
    return fail({
      code: 'E264',
      message: `Only an attack's metrics have slices: "${subject}" is ${subject === 'audit' ? 'the audit' : 'a target'}, in ${short(def.text)}.`,
      hint: 'Write the slices after an attack: lira[class].tpr@1% < 5%, lira["sex"].auc < 0.6.',
      at: 'subject',
    });
  if (names.attacks.includes(subject)) return withSlice(attackMetric(def, subject, parts, didYouMean), def.slice);
  if (names.targets.includes(subject)) return targetMetric(def, subject, parts, didYouMean);
  if (subject === 'audit') return auditMetric(def, parts, names.audit);
  const all = [...names.attacks, ...names.targets];
  return fail({
    code: 'E260',
    message: `Unknown attack or target "${subject}" in the expectation ${short(def.text)}.${didYouMean(subject, all)}`,
    hint: all.length ? `Attacks and targets: ${all.join(', ')}.` : 'Declare the attack or target first.',
    at: 'subject',
  });
}

function attackMetric(
  def: ExpectationDef,
  attack: string,
  parts: readonly ExpectPart[],
  didYouMean: (name: string, options: readonly string[]) => string,
): Resolved {
  const [m, ...rest] = parts;
  const hint =
    'Attack metrics: auc, tpr@LEVEL%, balanced_accuracy, advantage, precision, recall; auc and tpr@ also .ci.lower and .ci.upper.';
  if (!m)
    return fail({
      code: 'E261',
      message: `The expectation ${short(def.text)} names the attack "${attack}" but no metric.`,
      hint,
      at: 'metric',
    });
  let metric: MetricSpec;
  if (m.name === 'tpr') {
    if (m.level === null)
      return fail({
        code: 'E261',
        message: `tpr needs a false-positive-rate level in ${short(def.text)}: tpr@1%.`,
        hint,
        at: 'metric',
      });
    if (!(m.level > 0 && m.level < 1))
      return fail({
        code: 'E261',
        message: `The FPR level of tpr@ must lie strictly between 0% and 100%, not ${pct(m.level)}, in ${short(def.text)}.`,
        at: 'metric',
      });
    metric = { kind: 'tprAtFpr', fpr: m.level };
  } else if ((PLAIN_METRICS as readonly string[]).includes(m.name) && m.level === null) {
    metric = { kind: m.name as (typeof PLAIN_METRICS)[number] };
  } else {
    return fail({
      code: 'E261',
      message: `Unknown metric "${m.name}${m.level === null ? '' : '@…'}" of the attack "${attack}" in ${short(def.text)}.${didYouMean(m.name, [...PLAIN_METRICS, 'tpr'])}`,
      hint,
      at: 'metric',
    });
  }
  const end = intervalEnd(rest);
  if (end === null)
    return fail({
      code: 'E261',
      message: `After ${m.name}${m.level === null ? '' : '@…'} only .ci.lower or .ci.upper may follow, in ${short(def.text)}.`,
      hint,
      at: 'metric',
    });
  if (end !== 'value' && metric.kind !== 'auc' && metric.kind !== 'tprAtFpr')
    return fail({
      code: 'E262',
      message: `${m.name} has no confidence interval (${short(def.text)}); intervals exist for auc and tpr@ levels.`,
      at: 'metric',
    });
  return { ok: true, subject: { of: 'attack', attack, metric, end } };
}

const withSlice = (r: Resolved, slice: SliceDef | undefined): Resolved =>
  r.ok && slice && r.subject.of === 'attack' ? { ok: true, subject: { ...r.subject, slice } } : r;

function intervalEnd(rest: readonly ExpectPart[]): IntervalEnd | null {
  if (rest.length === 0) return 'value';
  const [ci, end] = rest;
  if (rest.length !== 2 || ci?.name !== 'ci' || ci.level !== null || end?.level !== null) return null;
  return end.name === 'lower' || end.name === 'upper' ? end.name : null;
}

function targetMetric(
  def: ExpectationDef,
  target: string,
  parts: readonly ExpectPart[],
  didYouMean: (name: string, options: readonly string[]) => string,
): Resolved {
  const m = parts[0];
  const hint = `Target metrics: ${TARGET_METRICS.join(', ')}.`;
  if (parts.length === 1 && m && m.level === null && (TARGET_METRICS as readonly string[]).includes(m.name))
    return { ok: true, subject: { of: 'target', target, metric: m.name as TargetMetric } };
  const name = m?.name ?? '';
  return fail({
    code: 'E261',
    message: m
      ? `Unknown metric "${parts.map((p) => p.name).join('.')}" of the target "${target}" in ${short(def.text)}.${didYouMean(name, TARGET_METRICS)}`
      : `The expectation ${short(def.text)} names the target "${target}" but no metric.`,
    hint,
    at: 'metric',
  });
}

function auditMetric(def: ExpectationDef, parts: readonly ExpectPart[], audit: ExpectNames['audit']): Resolved {
  const [a, method] = parts;
  if (parts.length !== 2 || !a || !method || a.level !== null || method.level !== null)
    return fail({
      code: 'E263',
      message: `An audit expectation is written audit.ATTACK.METHOD, e.g. audit.lira.one_run <= 4, not ${short(def.text)}.`,
      at: 'metric',
    });
  if (audit === null)
    return fail({
      code: 'E263',
      message: `The expectation ${short(def.text)} needs an audit block, and this experiment has none.`,
      hint: 'Audits of canary scores run with `mia audit --scores FILE` until .mia files can declare one.',
      at: 'subject',
    });
  if (!audit.attacks.includes(a.name) || !audit.methods.includes(method.name))
    return fail({
      code: 'E263',
      message: `The audit has no ${a.name}.${method.name} (${short(def.text)}).`,
      hint: `Audited attacks: ${audit.attacks.join(', ')}; methods: ${audit.methods.join(', ')}.`,
      at: 'metric',
    });
  return { ok: true, subject: { of: 'audit', attack: a.name, method: method.name } };
}

/** The values a metric can take, and in words, for "can never fail / hold". */
export function metricRange(s: ExpectSubject): { lo: number; hi: number; what: string } {
  if (s.of === 'audit') return { lo: 0, hi: Number.POSITIVE_INFINITY, what: 'an ε lower bound is at least 0' };
  if (s.of === 'target') {
    if (s.metric === 'generalization_gap') return { lo: -1, hi: 1, what: 'a gap lies between -100% and 100%' };
    if (s.metric === 'train_accuracy' || s.metric === 'test_accuracy')
      return { lo: 0, hi: 1, what: 'an accuracy lies between 0% and 100%' };
    if (s.metric === 'vulnerability') return { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY, what: '' };
    return { lo: 0, hi: Number.POSITIVE_INFINITY, what: 'a mean loss is at least 0' };
  }
  if (s.metric.kind === 'balanced_accuracy')
    return { lo: 0.5, hi: 1, what: 'the best balanced accuracy over thresholds lies between 50% and 100%' };
  const what = s.metric.kind === 'tprAtFpr' ? 'a TPR' : s.metric.kind === 'auc' ? 'an AUC' : `the ${s.metric.kind}`;
  return { lo: 0, hi: 1, what: `${what} lies between 0% and 100%` };
}

/** Whether `value op bound` holds. */
export function compare(value: number, op: CompareOp, bound: number): boolean {
  switch (op) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
  }
}

/**
 * 'never-fails' or 'never-holds' when every value in [lo, hi] gives the same verdict (a comparison is
 * monotone in the value, so the two ends decide; an infinite end is never reached and decides nothing
 * beyond what it should: `x < b` at +∞ is false, as it is for the large values it stands for).
 */
export function decidedByRange(
  op: CompareOp,
  bound: number,
  lo: number,
  hi: number,
): 'never-fails' | 'never-holds' | null {
  const atLo = compare(lo, op, bound);
  if (atLo !== compare(hi, op, bound)) return null;
  return atLo ? 'never-fails' : 'never-holds';
}

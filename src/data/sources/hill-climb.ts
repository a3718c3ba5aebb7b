/**
 * Model-based shadow data (Shokri et al. 2017, section V.C, Algorithm 1): records grown by hill
 * climbing on the confidence the target releases, an equal share per class (synthesis/hill-climb.ts).
 * Every record asked of the target counts as a query; the job stops with an error when `budget`
 * queries cannot grow `records` records (records given up after `iterations` queries are started
 * again from a new random record until then).
 */
import { LIMITS } from '../../kinds/size-limits.js';
import { deriveSeed } from '../../util/rng.js';
import type { Dataset } from '../dataset.js';
import { DataError } from '../formats/errors.js';
import { synthesizeByModel } from '../synthesis/hill-climb.js';
import { defineSource, type SynthesisInput, type SynthesisOutput } from '../source.js';
import type { SettingsOf } from '../../kinds/schema.js';

const settings = {
  target: { type: 'target', doc: 'The target whose released confidence is climbed (it is queried).' },
  records: {
    type: 'number',
    integer: true,
    bound: 'atLeast1',
    max: LIMITS.populationSize,
    doc: 'How many records to synthesise (an equal share per class).',
  },
  confidence: {
    type: 'number',
    percent: true,
    bound: 'openFraction',
    default: 0.8,
    doc: 'The confidence conf_min in its class a record must exceed.',
  },
  iterations: {
    type: 'number',
    integer: true,
    bound: 'atLeast1',
    max: 1_000_000,
    default: 500,
    doc: 'Queries per record before it is given up (iter_max) and started again.',
  },
  rejections: {
    type: 'number',
    integer: true,
    bound: 'atLeast1',
    max: 1_000_000,
    default: 10,
    doc: 'Rejected proposals in a row before fewer features are changed (rej_max).',
  },
  k_max: {
    type: 'number',
    integer: true,
    bound: 'atLeast1',
    max: LIMITS.units,
    default: null,
    doc: 'Features changed per proposal at first (default: a quarter).',
  },
  values: {
    type: 'enum',
    options: ['binary', 'uniform'],
    default: 'binary',
    doc: 'A changed feature becomes a random bit (the paper’s binary features) or uniform in [low, high].',
  },
  low: { type: 'number', default: 0, doc: 'The least value of a uniform feature.' },
  high: { type: 'number', default: 1, doc: 'The largest value of a uniform feature.' },
  budget: {
    type: 'number',
    integer: true,
    bound: 'atLeast1',
    default: 1_000_000,
    max: 1e12,
    doc: 'The most records it may ask the target about; the job fails when they do not suffice.',
  },
} as const;

type S = SettingsOf<typeof settings>;

/** An equal share of `n` per class (the first classes one more). */
const shares = (n: number, classes: number): number[] =>
  Array.from({ length: classes }, (_, c) => Math.floor(n / classes) + (c < n % classes ? 1 : 0));

async function grow(s: S, input: SynthesisInput): Promise<SynthesisOutput> {
  const { query, base } = input;
  if (!query) throw new Error('hill_climb runs with a query function (a bug).');
  const features = base.shape.reduce((a, b) => a * b, 1);
  const want = shares(s.records, base.classes);
  const got: Dataset[] = [];
  const failures = want.map(() => 0);
  let queries = 0;
  for (let round = 0; want.some((m) => m > 0); round++) {
    const left = s.budget - queries;
    if (left <= 0) {
      const short = want.flatMap((m, c) => (m > 0 ? [`class ${c}: ${m} missing`] : [])).join(', ');
      throw new DataError(
        `hill_climb on target "${s.target}"`,
        `${s.budget.toLocaleString('en-US')} queries grew ${(s.records - want.reduce((a, b) => a + b, 0)).toLocaleString('en-US')} of ${s.records.toLocaleString('en-US')} records (${short}); raise budget, lower confidence, or ask for fewer records.`,
      );
    }
    const r = await synthesizeByModel((x, n) => query(x, n), want, {
      features,
      classes: base.classes,
      confMin: s.confidence,
      iterMax: Math.min(s.iterations, left),
      rejMax: s.rejections,
      ...(s.k_max !== null ? { kMax: Math.min(s.k_max, features) } : {}),
      domain: s.values === 'binary' ? 'binary' : { min: s.low, max: s.high },
      seed: deriveSeed(input.seed, `round/${round}`),
      batch: 256,
    });
    queries += r.queries;
    got.push(r.dataset);
    for (let i = 0; i < r.dataset.n; i++) want[r.dataset.y[i]!]!--;
    r.failures.forEach((f, c) => (failures[c]! += f));
  }
  const n = got.reduce((a, d) => a + d.n, 0);
  const x = new Float32Array(n * features);
  const y = new Int32Array(n);
  let at = 0;
  for (const d of got) x.set(d.x, at * features), y.set(d.y, at), (at += d.n);
  const dataset: Dataset = {
    name: 'hill_climb',
    x,
    y,
    n,
    shape: base.shape.slice(),
    classes: base.classes,
    kind: base.kind,
  };
  return { dataset, queries, failures };
}

export const hillClimb = defineSource({
  kind: 'hill_climb',
  summary: "Shadow data grown by hill climbing on the target's confidence (Shokri et al.'s Algorithm 1).",
  positional: ['target'],
  settings,
  modality: () => 'tabular',
  records: (s) => s.records,
  synthesis: { budget: (s) => s.budget, run: grow },
});

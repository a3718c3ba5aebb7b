/** `mia audit --scores FILE`: ε lower bounds (privacy auditing) from held-in and held-out canary scores. */
import { readFileSync } from 'node:fs';
import {
  AUDIT_METHODS,
  AuditInputError,
  methodsAt,
  auditScores,
  type AuditResult,
  type CanaryScores,
  type ThresholdChoice,
} from '../audit/index.js';
import { defineCommand } from './command.js';
import { UsageError, UserError } from './errors.js';
import { numberOption } from './options.js';

const OPTIONS = {
  scores: {
    type: 'string',
    value: 'FILE',
    help: 'JSON { "in": [...], "out": [...] }: scores of held-in and held-out canaries',
  },
  delta: { type: 'string', default: '1e-5', value: 'D', help: 'the δ of the (ε, δ) claim; 0 tests pure ε-DP' },
  confidence: { type: 'string', default: '0.95', value: 'C', help: 'the confidence of the lower bound' },
  threshold: {
    type: 'string',
    default: 'bonferroni',
    value: 'T|bonferroni|split',
    help: 'a given threshold, the best of all (Bonferroni) or one chosen on a random half',
  },
  seed: { type: 'string', default: '0', value: 'N', help: 'seed of the split' },
  json: { type: 'boolean', default: false, help: 'ε per method as JSON' },
} as const;

function thresholdChoice(v: string, seed: number): ThresholdChoice {
  if (v === 'split') return { kind: 'split', seed };
  if (v === 'bonferroni') return { kind: 'bonferroni' };
  return { kind: 'given', threshold: numberOption('threshold', v, Number.isFinite, 'a number, split or bonferroni') };
}

/** The scores file: JSON { "in": [numbers], "out": [numbers] }; anything else is one line naming the file. */
export function readScoresFile(file: string): CanaryScores {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(e))}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file} is not JSON (${(e as Error).message}); expected { "in": [...], "out": [...] }.`);
  }
  const o = json as Record<string, unknown>;
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new UserError(`${file} is not a JSON object; expected { "in": [...], "out": [...] }.`);
  for (const side of ['in', 'out'])
    if (!Array.isArray(o[side]))
      throw new UserError(`${file}: "${side}" is missing or not an array; expected { "in": [...], "out": [...] }.`);
  return { in: o.in as number[], out: o.out as number[] };
}

const fmt = (x: number | null, digits = 4): string => (x === null ? '-' : Number(x.toPrecision(digits)).toString());

function table(results: AuditResult[], head: string): string {
  const rows = [
    ['method', 'epsilon', 'threshold', 'in', 'out', 'guesses', 'correct'],
    ...results.map((r) => [
      r.method,
      r.epsilon.toFixed(3),
      fmt(r.threshold),
      String(r.counts.in),
      String(r.counts.out),
      String(r.counts.guesses),
      String(r.counts.correct),
    ]),
  ];
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((row) => row[j]!.length)));
  const line = (row: string[]) =>
    row.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return `${head}\n${rows.map(line).join('\n')}\n`;
}

interface AuditValues {
  scores?: string;
  delta: string;
  confidence: string;
  threshold: string;
  seed: string;
  json: boolean;
}

export function auditCommand(values: AuditValues, out: (s: string) => void): number {
  const a = { values };
  const file = a.values.scores;
  if (!file) throw new UsageError('mia audit needs --scores FILE.');
  const delta = numberOption('delta', a.values.delta, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
  const confidence = numberOption('confidence', a.values.confidence, (x) => x > 0 && x < 1, 'a number in (0, 1)');
  const seed = numberOption(
    'seed',
    a.values.seed,
    (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32,
    'an integer ≥ 0',
  );
  const threshold = thresholdChoice(a.values.threshold, seed);
  const scores = readScoresFile(file);
  let results: AuditResult[];
  try {
    results = auditScores(scores, { delta, confidence, threshold });
  } catch (e) {
    if (e instanceof AuditInputError) throw new UserError(`${file}: ${e.message}`);
    throw e;
  }
  const by = <T>(f: (r: AuditResult) => T) => Object.fromEntries(results.map((r) => [r.method, f(r)]));
  const usable = methodsAt(delta);
  const leftOut = AUDIT_METHODS.filter((m) => !usable.includes(m));
  if (a.values.json) {
    const json = { epsilon: by((r) => r.epsilon), threshold: by((r) => r.threshold), delta, confidence };
    const without = Object.fromEntries(leftOut.map((m) => [m.name, `no δ = 0 form: ${m.noPureDp}`]));
    out(
      `${JSON.stringify({ ...json, choice: threshold, methods: results, ...(leftOut.length ? { leftOut: without } : {}) })}\n`,
    );
    return 0;
  }
  const how =
    threshold.kind === 'given'
      ? `threshold ${threshold.threshold} (given)`
      : threshold.kind === 'split'
        ? `threshold chosen on a random half (seed ${seed}), ε̂ on the other half`
        : `the best of all thresholds, Bonferroni-corrected over ${scores.in.length + scores.out.length}`;
  out(table(results, `ε lower bounds at ${confidence * 100}% confidence, δ = ${a.values.delta}; ${how}:`));
  out(`methods: ${usable.map((m) => `${m.name} (${m.paper})`).join(', ')}\n`);
  for (const m of leftOut)
    out(`${m.name} left out: it has no δ = 0 form (${(m.noPureDp ?? '').replace(/\.$/, '')}).\n`);
  return 0;
}

export const auditCli = defineCommand({
  name: 'audit',
  summary: 'ε lower bounds (privacy auditing) from canary scores',
  usage: '--scores FILE [options]',
  options: OPTIONS,
  run: ({ values, positionals }, io) => {
    if (positionals.length > 0)
      throw new UsageError(`mia audit takes no positional arguments (got "${positionals[0]}").`);
    return auditCommand(values, io.out);
  },
});

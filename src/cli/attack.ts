/** `mia attack --signals FILE`: the scoring attacks on precomputed signals; writes results.json. */
import { basename, extname, join, resolve } from 'node:path';
import { AttackInputError, scoreSignals, signalAttacks } from '../attacks/index.js';
import { fprLevelsFor } from '../metrics/index.js';
import {
  attackResult,
  resultsTable,
  resultsToJson,
  targetFromLogits,
  targetFromLosses,
  type ResultsJson,
} from '../report/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { requireRegularFile } from '../pipeline/index.js';
import { defineCommand } from './command.js';
import { UsageError, UserError } from './errors.js';
import { numberOption } from './options.js';
import { readSignalsFile } from './signals-file.js';
import { readTokenSignalsIfAny } from './token-signals-file.js';
import { tokenInput, tokenScores } from './token-attack.js';

export interface AttackOptions {
  signals: string;
  attacks: string[];
  out?: string;
  seed: number;
  a: number;
  gamma: number;
  rmiaTrim?: number;
  liraCentre?: 'mean' | 'median';
  json: boolean;
  version: string;
}

type SignalsInput = ReturnType<typeof readSignalsFile>;
type Scored = ReturnType<typeof scoreSignals>;

export function attackCommand(o: AttackOptions, out: (s: string) => void, err: (s: string) => void): number {
  const tokens = readTokenSignalsIfAny(o.signals); // a language model's token file: its own scores
  if (tokens) return writeResults(o, tokenInput(tokens, o.attacks), tokenScores(tokens), out, err);
  const kinds = signalAttacks();
  for (const a of o.attacks)
    if (!kinds.includes(a))
      throw new UsageError(`Unknown attack "${a}" for --signals. Use one of: ${kinds.join(', ')}.`);
  const progress = progressLine();
  const input = readSignalsFile(o.signals);
  progress.show('scoring');
  return writeResults(o, input, scoreOrExplain(input, o, kinds), out, err, progress);
}

/** results.json from the scored variants, written atomically; the table (or the JSON) on stdout. */
function writeResults(
  o: AttackOptions,
  input: SignalsInput,
  scored: Scored,
  out: (s: string) => void,
  err: (s: string) => void,
  progress = progressLine(),
): number {
  for (const n of scored.notes) err(`mia: note: ${n}\n`);
  const results: ResultsJson = {
    experiment: basename(o.signals, extname(o.signals)),
    seed: o.seed,
    backend: 'none',
    mia: o.version,
    runs: [{ params: {}, target: targetOf(input), attacks: attackResults(input, scored, o.seed, progress.show) }],
  };
  progress.clear();
  const path = join(resolve(o.out ?? join('results', results.experiment)), 'results.json');
  writeFileAtomic(path, resultsToJson(results));
  if (o.json) out(resultsToJson(results));
  else {
    out(
      `${resultsTable(results, [{ kind: 'auc' }, { kind: 'tprAtFpr', fpr: 0.001 }, { kind: 'tprAtFpr', fpr: 0.01 }, { kind: 'tprAtFpr', fpr: 0.1 }, { kind: 'balanced_accuracy' }, { kind: 'advantage' }])}\n`,
    );
    out(`results: ${path}\n`);
  }
  return 0;
}

/** On a terminal, after a second: what it is doing (a large audit takes a while), on one rewritten line. */
function progressLine(): { show: (what: string) => void; clear: () => void } {
  const started = Date.now();
  const late = (): boolean => process.stderr.isTTY && Date.now() - started > 1000;
  // The line's own control sequence goes straight to the terminal (`err` escapes control characters); `what` is mia's.
  return {
    show: (what) => {
      if (late()) process.stderr.write(`\r\x1b[2Kmia: ${what}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    },
    clear: () => {
      if (late()) process.stderr.write('\r\x1b[2K');
    },
  };
}

/** The attacks' scores; a file the attacks cannot use is the user's to fix (one line, exit 1). */
function scoreOrExplain(input: SignalsInput, o: AttackOptions, kinds: string[]): Scored {
  try {
    return scoreSignals(input, {
      attacks: o.attacks.length ? o.attacks : kinds,
      explicit: o.attacks.length > 0,
      a: o.a,
      gamma: o.gamma,
      rmiaTrim: o.rmiaTrim ?? 0,
      liraCentre: o.liraCentre ?? 'mean',
    });
  } catch (e) {
    if (e instanceof AttackInputError) throw new UserError(e.message);
    throw e;
  }
}

/** The records with a known membership (member ≥ 0), their membership and labels, and the two sides. */
function labelledRecords(input: SignalsInput) {
  const record: number[] = [];
  input.member.forEach((m, r) => {
    if (m >= 0) record.push(r);
  });
  return {
    record,
    member: record.map((r) => input.member[r]!),
    label: record.map((r) => (input.labels ? input.labels[r]! : 0)),
    members: record.filter((r) => input.member[r] === 1),
    nonmembers: record.filter((r) => input.member[r] === 0),
  };
}

/** The target's utility from its logits, or its mean losses when the file gives losses only. */
function targetOf(input: SignalsInput) {
  const { members, nonmembers } = labelledRecords(input);
  const t = input.target;
  return t.kind === 'logits'
    ? targetFromLogits('target', t.signals.logits, t.signals.classes, input.labels!, members, nonmembers)
    : targetFromLosses(
        'target',
        null,
        null,
        meanOf(members.map((r) => t.loss[r]!)),
        meanOf(nonmembers.map((r) => t.loss[r]!)),
      );
}

/** Each scored variant's metrics, on its own records when it scores a subset, with what it excluded. */
function attackResults(input: SignalsInput, scored: Scored, seed: number, progress: (what: string) => void) {
  const { record, member, label } = labelledRecords(input);
  const fprLevels = fprLevelsFor([]);
  return scored.variants.map((v, i) => {
    progress(`evaluating ${v.name} (${i + 1} of ${scored.variants.length})`);
    const rows = v.records ?? record;
    const base = attackResult({
      name: v.name,
      kind: v.kind,
      seed,
      fprLevels,
      record: rows.slice(),
      label: v.records ? rows.map((r) => (input.labels ? input.labels[r]! : 0)) : label,
      score: v.scores,
      member: v.records ? rows.map((r) => input.member[r]!) : member,
    });
    if (!v.excluded) return base;
    const excluded = {
      count: v.excluded.records.length,
      records: v.excluded.records.slice(),
      reason: v.excluded.reason,
    };
    return { ...base, excluded };
  });
}

const meanOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function centreOption(v: string): 'mean' | 'median' {
  if (v === 'mean' || v === 'median') return v;
  throw new UsageError(`--lira-centre ${v} is not valid: use mean or median.`);
}

export const attackCli = defineCommand({
  name: 'attack',
  summary: 'the scoring attacks on precomputed losses or logits (JSON, arrays inline or .npy)',
  usage: '--signals FILE [options]',
  options: {
    signals: { type: 'string', value: 'FILE', help: 'the signals file (see README, "Bring your own signals")' },
    attack: {
      type: 'string',
      multiple: true,
      value: 'KIND',
      help: 'an attack kind to run, repeatable (default: every attack kind the signals allow)',
    },
    out: { type: 'string', value: 'DIR', help: 'where results go (default results/<file name>/)' },
    seed: { type: 'string', default: '0', value: 'N', help: 'seed of the bootstrap intervals' },
    'rmia-a': { type: 'string', default: '0.3', value: 'A', help: "RMIA's offline parameter a" },
    gamma: { type: 'string', default: '2', value: 'G', help: "RMIA's gamma" },
    'rmia-trim': {
      type: 'string',
      default: '0',
      value: 'P',
      help: "RMIA: cut this share of the models' lowest and highest p_y before averaging (paper's code: 0.2)",
    },
    'lira-centre': {
      type: 'string',
      default: 'mean',
      value: 'mean|median',
      help: "LiRA's μ: the models' mean (the paper) or median (its reference code)",
    },
    json: { type: 'boolean', default: false, help: 'results.json on stdout' },
  },
  run: ({ values: v, positionals }, io) => {
    if (positionals.length > 0) throw new UsageError('mia attack takes its file with --signals FILE.');
    if (!v.signals) throw new UsageError('mia attack needs --signals FILE.');
    requireRegularFile(v.signals, 'signals');
    return attackCommand(
      {
        signals: v.signals,
        attacks: v.attack ?? [],
        out: v.out,
        seed: numberOption('seed', v.seed, (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32, 'an integer ≥ 0'),
        a: numberOption('rmia-a', v['rmia-a'], (x) => x >= 0 && x <= 1, 'a number in [0, 1]'),
        gamma: numberOption('gamma', v.gamma, (x) => x > 0, 'a positive number'),
        rmiaTrim: numberOption('rmia-trim', v['rmia-trim'], (x) => x >= 0 && x < 0.5, 'a share in [0, 0.5)'),
        liraCentre: centreOption(v['lira-centre']),
        json: v.json,
        version: io.version,
      },
      io.out,
      io.err,
    );
  },
});

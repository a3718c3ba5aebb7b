/** `mia attack --signals FILE`: the scoring attacks on precomputed signals; writes results.json. */
import { basename, extname, join, resolve } from 'node:path';
import { signalAttacks } from '../attacks/index.js';
import { resultsTable, resultsToJson, type ResultsJson } from '../report/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { requireRegularFile } from '../pipeline/index.js';
import { defineCommand } from './command.js';
import { UsageError } from './errors.js';
import { numberOption } from './options.js';
import { readSignalsFile } from '../api/signals-file.js';
import { signalsResults } from '../api/signals.js';
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

export function attackCommand(o: AttackOptions, out: (s: string) => void, err: (s: string) => void): number {
  const tokens = readTokenSignalsIfAny(o.signals); // a language model's token file: its own scores
  const kinds = signalAttacks();
  if (!tokens)
    for (const a of o.attacks)
      if (!kinds.includes(a))
        throw new UsageError(`Unknown attack "${a}" for --signals. Use one of: ${kinds.join(', ')}.`);
  const progress = progressLine();
  const input = tokens ? tokenInput(tokens, o.attacks) : readSignalsFile(o.signals);
  const results: ResultsJson = signalsResults(input, {
    ...o,
    ...(tokens ? { scored: tokenScores(tokens) } : {}),
    experiment: basename(o.signals, extname(o.signals)),
    attacks: o.attacks.length ? o.attacks : kinds,
    explicit: o.attacks.length > 0,
    progress: progress.show,
    note: (n) => err(`mia: note: ${n}\n`),
  });
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

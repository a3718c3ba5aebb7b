/**
 * `mia dp-epsilon`: the (ε, δ) of DP-SGD from its settings, as TF Privacy's compute_dp_sgd_privacy, or with
 * --epsilon the noise multiplier that reaches a target ε. It parses its own arguments (a usage error is one
 * line on stderr and exit 2).
 */
import { defineCommand } from './command.js';
import { UsageError } from './errors.js';
import { numberOption } from './options.js';
import { LIMITS } from '../kinds/size-limits.js';
import {
  AccountantError,
  type Conversion,
  dpSgdEpsilon,
  noiseForEpsilon,
  samplingOf,
} from '../defenses/accountant/rdp.js';
import { type AccountantName, noiseBy } from '../defenses/accountant/choose.js';
import { pldEpsilon } from '../defenses/accountant/pld.js';

const Usage = UsageError;
/** Records in the training set: steps = ⌈epochs · N / B⌉ stays a finite count below 2⁵³. */
const MAX_DATASET = 1e10;

/** A numeric option of the parsed values (strings or absent), through the shared check. */
function number(values: Record<string, unknown>, name: string, ok: (x: number) => boolean, what: string): number {
  const v = values[name];
  return numberOption(name, typeof v === 'string' ? v : undefined, ok, what);
}

interface Request {
  datasetSize: number;
  batchSize: number;
  epochs: number;
  delta: number;
  conversion: Conversion;
  accountant: AccountantName;
  json: boolean;
  target: { noise: number } | { epsilon: number };
}

const OPTIONS = {
  'dataset-size': { type: 'string', value: 'N', help: 'the number of training records' },
  'batch-size': { type: 'string', value: 'B', help: 'the expected batch size (sampling rate q = B / N)' },
  epochs: { type: 'string', value: 'E', help: 'epochs of training (steps = ceil(E * N / B))' },
  'noise-multiplier': { type: 'string', value: 'S', help: 'the noise multiplier σ (or give --epsilon)' },
  epsilon: { type: 'string', value: 'EPS', help: 'a target ε: prints the noise multiplier that reaches it' },
  delta: { type: 'string', value: 'D', help: 'the δ of the (ε, δ) guarantee, e.g. 1e-5' },
  conversion: { type: 'string', default: 'improved', value: 'improved|classic', help: 'RDP to (ε, δ) conversion' },
  accountant: {
    type: 'string',
    default: 'rdp',
    value: 'rdp|pld',
    help: 'Rényi DP (default) or privacy loss distributions',
  },
  json: { type: 'boolean', default: false, help: 'the result as JSON' },
} as const;

function request(v: Record<string, string | boolean | undefined>): Request {
  const datasetSize = number(
    v,
    'dataset-size',
    (x) => Number.isInteger(x) && x > 0 && x <= MAX_DATASET,
    `a whole number from 1 to ${MAX_DATASET.toExponential()}`,
  );
  const batchSize = number(
    v,
    'batch-size',
    (x) => Number.isInteger(x) && x > 0 && x <= datasetSize,
    `a whole number from 1 to the dataset size (${datasetSize})`,
  );
  const epochs = number(v, 'epochs', (x) => x > 0 && x <= LIMITS.epochs, `a number above 0, at most ${LIMITS.epochs}`);
  const delta = number(v, 'delta', (x) => x > 0 && x < 1, 'a number between 0 and 1, e.g. 1e-5');
  if (v.conversion !== 'improved' && v.conversion !== 'classic')
    throw new Usage(`--conversion ${String(v.conversion)} is not valid: give improved or classic.`);
  if (v.accountant !== 'rdp' && v.accountant !== 'pld')
    throw new Usage(`--accountant ${String(v.accountant)} is not valid: give rdp or pld.`);
  const hasNoise = v['noise-multiplier'] !== undefined;
  if (hasNoise === (v.epsilon !== undefined)) throw new Usage('give exactly one of --noise-multiplier and --epsilon.');
  const target = hasNoise
    ? { noise: number(v, 'noise-multiplier', (x) => x > 0, 'a positive number') }
    : { epsilon: number(v, 'epsilon', (x) => x > 0, 'a positive number') };
  const { conversion, accountant } = v;
  return { datasetSize, batchSize, epochs, delta, conversion, accountant, json: v.json === true, target };
}

/** The noise multiplier asked for, or the one reaching the target ε; an AccountantError when none does. */
const noiseOf = (r: Request): number =>
  'noise' in r.target
    ? r.target.noise
    : r.accountant === 'pld'
      ? noiseBy('pld', { ...r, epsilon: r.target.epsilon })
      : noiseForEpsilon({ ...r, epsilon: r.target.epsilon }, r.conversion);

export function dpEpsilonCommand(
  values: Record<string, string | boolean | undefined>,
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  const r = request(values);
  const { q, steps } = samplingOf(r);
  let noise: number;
  try {
    noise = noiseOf(r);
  } catch (e) {
    if (!(e instanceof AccountantError)) throw e;
    err(`mia dp-epsilon: ${e.message}; raise --epsilon or --delta, or lower --epochs.\n`);
    return 1;
  }
  if (r.accountant === 'pld') return pldAnswer(r, noise, out, err);
  const { epsilon, order } = dpSgdEpsilon({ ...r, noise }, r.conversion);
  const shown = Number(noise.toPrecision(6));
  if (epsilon === Infinity) {
    err(
      `mia dp-epsilon: noise multiplier ${shown} is too small for any finite ε at δ = ${r.delta} (ε = ∞: the RDP ` +
        `accountant bounds nothing at any order); raise --noise-multiplier or --delta, or lower --epochs.\n`,
    );
    return 1;
  }
  if (r.json) {
    const result = { epsilon, order, delta: r.delta, noiseMultiplier: noise, samplingRate: q, steps };
    out(`${JSON.stringify({ ...result, conversion: r.conversion, accountant: 'rdp' })}\n`);
    return 0;
  }
  const lead = 'noise' in r.target ? '' : `noise multiplier ${shown} reaches the target. `;
  out(
    `${lead}DP-SGD with sampling rate ${(100 * q).toPrecision(4)}% and noise multiplier ${shown} ` +
      `over ${steps} steps satisfies (ε = ${epsilon.toPrecision(4)}, δ = ${r.delta})-differential privacy ` +
      `(${r.conversion} RDP conversion; optimal order ${order}).\n`,
  );
  return 0;
}

/** The PLD accountant's answer: ε (an upper bound) and how far above the exact ε discretisation may put it. */
function pldAnswer(r: Request, noise: number, out: (s: string) => void, err: (s: string) => void): number {
  const { q, steps } = samplingOf(r);
  let res: ReturnType<typeof pldEpsilon>;
  try {
    res = pldEpsilon({ q, sigma: noise, steps, delta: r.delta });
  } catch (e) {
    if (!(e instanceof AccountantError)) throw e;
    err(`mia dp-epsilon: ${e.message}.\n`);
    return 1;
  }
  const shown = Number(noise.toPrecision(6));
  if (res.epsilon === Infinity) {
    err(
      `mia dp-epsilon: noise multiplier ${shown} is too small for any finite ε at δ = ${r.delta} (PLD accountant).\n`,
    );
    return 1;
  }
  const { epsilon, discretisationError } = res;
  if (r.json) {
    const result = { epsilon, discretisationError, delta: r.delta, noiseMultiplier: noise, samplingRate: q, steps };
    out(`${JSON.stringify({ ...result, accountant: 'pld' })}\n`);
    return 0;
  }
  const lead = 'noise' in r.target ? '' : `noise multiplier ${shown} reaches the target. `;
  out(
    `${lead}DP-SGD with sampling rate ${(100 * q).toPrecision(4)}% and noise multiplier ${shown} ` +
      `over ${steps} steps satisfies (ε = ${epsilon.toPrecision(4)}, δ = ${r.delta})-differential privacy ` +
      `(PLD accountant: an upper bound, above the exact ε by at most ${Number(discretisationError.toPrecision(3))} ` +
      `from discretisation).\n`,
  );
  return 0;
}

export const dpEpsilonCli = defineCommand({
  name: 'dp-epsilon',
  summary: 'the ε of DP-SGD from its settings (RDP or PLD accountant), or the noise for a target ε',
  usage: '--dataset-size N --batch-size B --epochs E (--noise-multiplier S | --epsilon EPS) --delta D [options]',
  options: OPTIONS,
  run: ({ values, positionals }, io) => {
    if (positionals.length > 0) throw new UsageError(`mia dp-epsilon takes no positional arguments.`);
    return dpEpsilonCommand(values, io.out, io.err);
  },
});

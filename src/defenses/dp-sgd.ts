/**
 * DP-SGD (Abadi et al.): per-example gradient clipping and Gaussian noise, with a privacy accountant.
 * Trains with src/ml/dp-train.ts (Poisson sampling at q = batch/N, ⌈epochs·N/batch⌉ steps). Either the
 * noise multiplier is given, or a target ε, from which the noise is the smallest σ reaching it for this
 * training set's size, batch and epochs (noiseForEpsilon). The ε recorded is the RDP accountant's
 * (improved conversion) for the σ, q, steps and δ actually used, or with `accountant: pld` the PLD accountant's
 * (src/defenses/accountant/pld.ts; results.json's privacy then says `accountant: "pld"`).
 */
import { ACCOUNTANTS, type AccountantName, DEFAULT_ACCOUNTANT, epsilonBy, noiseBy } from './accountant/choose.js';
import { AccountantError, leastEpsilon } from './accountant/rdp.js';
import { defineDefense, type PrivacyRecord } from './defense.js';
import type { TrainDef } from '../kinds/program.js';

interface DpSgdSettings {
  noise: number | null;
  epsilon: number | null;
  clip: number;
  delta: number;
  /** Absent in a job spec made at its default (keyedAtDefault: false): the default, rdp. */
  accountant?: AccountantName;
}

/** The accounting of DP-SGD on n training records with TrainDef t. */
export function dpSgdPrivacy(settings: DpSgdSettings, n: number, t: TrainDef): PrivacyRecord {
  const s = { ...settings, accountant: settings.accountant ?? DEFAULT_ACCOUNTANT };
  const setting = { datasetSize: n, batchSize: t.batch, epochs: t.epochs, delta: s.delta };
  let noise: number;
  try {
    noise = s.noise ?? noiseBy(s.accountant, { ...setting, epsilon: s.epsilon! });
  } catch (e) {
    if (!(e instanceof AccountantError)) throw e;
    throw new AccountantError(`dp_sgd: ${e.message}. Raise its epsilon or delta, or lower the model's epochs.`);
  }
  let epsilon: number;
  try {
    epsilon = epsilonBy(s.accountant, { ...setting, noise });
  } catch (e) {
    if (!(e instanceof AccountantError)) throw e;
    throw new AccountantError(`dp_sgd: ${e.message}.`);
  }
  if (epsilon === Infinity)
    throw new AccountantError(
      `dp_sgd: noise ${noise} is too small for any finite ε at δ = ${s.delta} (the ${s.accountant.toUpperCase()} ` +
        `accountant bounds nothing). Raise its noise or delta, or lower the model's epochs.`,
    );
  return {
    epsilon,
    delta: s.delta,
    noise,
    steps: Math.ceil((t.epochs * n) / t.batch),
    sampling: Math.min(1, t.batch / n),
    clip: s.clip,
    accountant: s.accountant,
  };
}

export const dpSgd = defineDefense({
  kind: 'dp_sgd',
  summary: 'Differentially private SGD: per-example gradients clipped to `clip`, Gaussian noise added.',
  stage: 'training',
  settings: {
    noise: { type: 'number', bound: 'positive', default: null, doc: 'The noise multiplier σ (noise std / clip).' },
    epsilon: {
      type: 'number',
      bound: 'positive',
      default: null,
      doc: 'A target ε instead of `noise`: σ is the smallest reaching it for the training set, batch and epochs.',
    },
    clip: { type: 'number', bound: 'positive', doc: 'The per-example gradient norm bound C.' },
    delta: { type: 'number', bound: 'openFraction', default: 1e-5, doc: 'The δ of the (ε, δ) guarantee reported.' },
    accountant: {
      type: 'enum',
      options: ACCOUNTANTS,
      default: 'rdp',
      keyedAtDefault: false,
      doc: 'Who states ε: rdp (Rényi DP, the default) or pld (privacy loss distributions, tighter).',
    },
  },
  check: (s, c) => {
    const least = s.delta > 0 && s.delta < 1 ? leastEpsilon(s.delta) : 0;
    if (s.epsilon !== null && s.epsilon > 0 && s.epsilon < least)
      c.error(
        'E163',
        `dp_sgd's epsilon ${s.epsilon} is below ${Number(least.toPrecision(3))}, the least ε the RDP accountant ` +
          `states at delta ${s.delta} whatever the noise, so no noise multiplier reaches it.`,
        'epsilon',
        'Raise epsilon, or delta.',
      );
    if ((s.noise === null) === (s.epsilon === null))
      c.error(
        'E160',
        s.noise === null
          ? 'dp_sgd needs either `noise` (the noise multiplier) or `epsilon` (a target ε).'
          : 'dp_sgd takes either `noise` or `epsilon`, not both.',
        s.noise === null ? undefined : 'epsilon',
        'Give exactly one: e.g. dp_sgd(noise: 1.1, clip: 1) or dp_sgd(epsilon: 4, clip: 1).',
      );
  },
  apply: (s) => ({
    privacy: (n, t) => dpSgdPrivacy(s, n, t),
    trainer: async (i) => {
      const { trainModelDp } = await import('../ml/dp-train.js');
      const { noise } = dpSgdPrivacy(s, i.data.n, i.def);
      return trainModelDp(i.model, i.data, i.def, { noise, clip: s.clip }, i.seed, i.onEpoch);
    },
  }),
});

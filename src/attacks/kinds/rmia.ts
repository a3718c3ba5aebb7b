/** Zarifzadeh et al.'s robust membership inference attack (RMIA): likelihood ratios against population records. */
import { LIMITS } from '../../kinds/size-limits.js';
import { rmiaAttack, rmiaScores, type RmiaSignals } from '../rmia.js';
import { REFERENCE_SETTINGS, referenceVariants } from '../reference-variants.js';
import { gather, gatherMask, perRecord } from '../signals-input.js';
import { defineAttack } from '../kind.js';

const fmtShare = (v: number): string => `${+(v * 100).toFixed(2)}%`;

export const rmia = defineAttack({
  kind: 'rmia',
  title: 'RMIA',
  summary: 'Pairwise likelihood ratios of each record against population records (Zarifzadeh et al.).',
  version: 2, // 2: offline, population records IN every reference model are left out of z
  settings: {
    ...REFERENCE_SETTINGS,
    a: {
      type: 'number',
      percent: true,
      bound: 'closedFraction',
      default: 0.3,
      doc: 'Offline: how Pr(x) of OUT models is scaled towards that of IN models.',
    },
    gamma: { type: 'number', bound: 'positive', default: 2, doc: 'How much more likely x must be than z to count.' },
    trim: {
      type: 'number',
      percent: true,
      bound: 'fraction',
      default: 0,
      doc: "Share (below 50%) of the models' lowest and highest p_y cut before averaging (paper's code: 20%).",
    },
    population: {
      type: 'data',
      default: null,
      doc: "Population records z; by default drawn from the shadows' pool outside the candidates.",
    },
    population_size: {
      type: 'number',
      integer: true,
      bound: 'atLeast1',
      max: LIMITS.populationSize,
      default: 1000,
      doc: 'At most this many population records.',
    },
  },
  needsProbabilities: true,
  needsHalfShadows: (s) => (s.mode === 'online' ? s.shadows : null),
  check(s, c) {
    if (s.trim >= 0.5 && s.trim < 1)
      c.error(
        'E144', // a trim of 1 or more is E117's
        `The RMIA attack "${c.name}" cuts ${fmtShare(s.trim)} of the reference models' values from each end, which leaves none to average.`,
        'trim',
        "Use a trim below 50%; the paper's code uses 20%.",
      );
    const sh = c.shadows(s.shadows);
    if (sh && s.trim > 0 && s.trim < 0.5 && Math.floor(s.trim * sh.count) === 0)
      c.warn(
        'W303',
        `The RMIA attack "${c.name}" trims ${fmtShare(s.trim)} of at most ${sh.count} reference model${sh.count === 1 ? "'s" : "s'"} values, which cuts none: the plain mean is used.`,
        'trim',
        `A trim of ${fmtShare(s.trim)} needs ${Math.ceil(1 / s.trim - 1e-9)} or more reference models.`,
      );
  },
  population: (s) => ({
    subset: s.population,
    poolOf: s.population ? null : s.shadows,
    size: s.population_size,
  }),
  score: (ctx, s) => rmiaAttack(ctx, s.shadows, { mode: s.mode, a: s.a, gamma: s.gamma, trim: s.trim }),
  fromSignals(env) {
    const { target, labels, references: refs } = env.input;
    const py = (rows: readonly number[]): RmiaSignals => ({
      target: gather(perRecord(target, labels, 'confidence'), rows),
      refs: (refs?.models ?? []).map((m) => gather(perRecord(m, labels, 'confidence'), rows)),
      isIn: (refs?.isIn ?? []).map((m) => gatherMask(m, rows)),
    });
    return referenceVariants(env, {
      kind: 'rmia',
      onlineNeedsIn: false,
      usesPopulation: true,
      score: (mode, rows, population) => [
        {
          name: `rmia_${mode}${env.rmiaTrim > 0 ? '_trimmed' : ''}`,
          scores: rmiaScores(py(rows), py(population), { mode, a: env.a, gamma: env.gamma, trim: env.rmiaTrim }),
        },
      ],
    });
  },
});

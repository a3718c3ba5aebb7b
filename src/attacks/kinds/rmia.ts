/** Zarifzadeh et al.'s robust membership inference attack (RMIA): likelihood ratios against population records. */
import { LIMITS } from '../../check/limits.js';
import { rmiaAttack, rmiaScores, type RmiaSignals } from '../rmia.js';
import { referenceVariants } from '../reference-variants.js';
import { gather, gatherMask, perRecord } from '../signals-input.js';
import { defineAttack } from '../kind.js';

export const rmia = defineAttack({
  kind: 'rmia',
  title: 'RMIA',
  summary: 'Pairwise likelihood ratios of each record against population records (Zarifzadeh et al.).',
  version: 2, // 2: offline, population records IN every reference model are left out of z
  settings: {
    shadows: { type: 'shadows', doc: 'The reference models.' },
    mode: {
      type: 'enum',
      options: ['online', 'offline'],
      default: 'offline',
      doc: 'online: models with and without each record (needs sampling half); offline: without only.',
    },
    a: {
      type: 'number',
      percent: true,
      bound: 'closedFraction',
      default: 0.3,
      doc: 'Offline: how Pr(x) of OUT models is scaled towards that of IN models.',
    },
    gamma: { type: 'number', bound: 'positive', default: 2, doc: 'How much more likely x must be than z to count.' },
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
  population: (s) => ({
    subset: s.population,
    poolOf: s.population ? null : s.shadows,
    size: s.population_size,
  }),
  score: (ctx, s) => rmiaAttack(ctx, s.shadows, { mode: s.mode, a: s.a, gamma: s.gamma }),
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
        { name: `rmia_${mode}`, scores: rmiaScores(py(rows), py(population), { mode, a: env.a, gamma: env.gamma }) },
      ],
    });
  },
});

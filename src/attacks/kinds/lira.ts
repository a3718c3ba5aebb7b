/** Carlini et al.'s likelihood-ratio attack (LiRA), online or offline, optionally with augmentations. */
import { liraAttack, liraScores } from '../lira.js';
import { REFERENCE_SETTINGS, referenceVariants } from '../reference-variants.js';
import { gather, gatherMask, perRecord } from '../signals-input.js';
import { defineAttack } from '../kind.js';

export const lira = defineAttack({
  kind: 'lira',
  title: 'LiRA',
  summary: 'Gaussians of reference models’ logit confidence, in and out (Carlini et al.).',
  version: 1,
  settings: {
    ...REFERENCE_SETTINGS,
    fixed_variance: {
      type: 'boolean',
      default: false,
      doc: 'One variance for all records (better with few reference models).',
    },
    centre: {
      type: 'enum',
      options: ['mean', 'median'],
      default: 'mean',
      doc: "μ_in and μ_out of each record: the models' mean (the paper) or median (its reference code).",
    },
    augmentations: {
      type: 'augmentations',
      default: [],
      doc: 'Query augmented copies and average the scores, e.g. [translate(1)].',
    },
  },
  needsProbabilities: true,
  needsHalfShadows: (s) => (s.mode === 'online' ? s.shadows : null),
  check(s, c) {
    const sh = c.shadows(s.shadows);
    if (sh && !s.fixed_variance && sh.count < 8)
      c.warn(
        'W302',
        `The LiRA attack "${c.name}" estimates a variance per record from ${sh.count} shadow model${sh.count === 1 ? '' : 's'}, too few to be reliable.`,
        'shadows',
        'Add fixed_variance: true, or use 8 or more shadow models.',
      );
  },
  score: (ctx, s) =>
    liraAttack(ctx, s.shadows, {
      mode: s.mode,
      fixedVariance: s.fixed_variance,
      centre: s.centre,
      augmented: s.augmentations.length > 0,
    }),
  fromSignals(env) {
    const { target, labels, references: refs } = env.input;
    return referenceVariants(env, {
      kind: 'lira',
      onlineNeedsIn: true,
      usesPopulation: false,
      score: (mode, rows) => {
        const sig = {
          target: gather(perRecord(target, labels, 'phi'), rows),
          refs: (refs?.models ?? []).map((m) => gather(perRecord(m, labels, 'phi'), rows)),
          isIn: (refs?.isIn ?? []).map((m) => gatherMask(m, rows)),
        };
        const centre = env.liraCentre;
        return [false, true].map((fixedVariance) => ({
          name: `lira_${mode}${fixedVariance ? '_fixed' : ''}${centre === 'median' ? '_median' : ''}`,
          scores: liraScores(sig, { mode, fixedVariance, centre }),
        }));
      },
    });
  },
});

/** Carlini et al.'s likelihood-ratio attack (LiRA), online or offline, optionally with augmentations. */
import { liraAttack, liraScores } from '../lira.js';
import { mapRows, phiAt, referenceModes, coverage, type ScoredVariant } from '../signals-input.js';
import { defineAttack } from '../kind.js';

export const lira = defineAttack({
  kind: 'lira',
  title: 'LiRA',
  summary: 'Gaussians of reference models’ logit confidence, in and out (Carlini et al.).',
  version: 1,
  settings: {
    shadows: { type: 'shadows', doc: 'The reference models.' },
    mode: {
      type: 'enum',
      options: ['online', 'offline'],
      default: 'offline',
      doc: 'online: models with and without each record (needs sampling half); offline: without only.',
    },
    fixed_variance: {
      type: 'boolean',
      default: false,
      doc: 'One variance for all records (better with few reference models).',
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
      augmented: s.augmentations.length > 0,
    }),
  fromSignals(env) {
    const refs = env.input.references;
    if (!refs || refs.models.length === 0) {
      env.skip('no reference models.');
      return [];
    }
    if (!coverage(env).hasOut) {
      env.skip('some scored record is in the training set of every reference model (LiRA needs OUT models).');
      return [];
    }
    const { target, labels } = env.input;
    const rows = env.scored;
    const sig = {
      target: mapRows((r) => phiAt(target, r, labels), rows),
      refs: refs.models.map((m) => mapRows((r) => phiAt(m, r, labels), rows)),
      isIn: refs.isIn.map((m) => Uint8Array.from(rows, (r) => m[r]!)),
    };
    const out: ScoredVariant[] = [];
    for (const mode of referenceModes(env, 'lira'))
      for (const fixedVariance of [false, true])
        out.push({
          name: `lira_${mode}${fixedVariance ? '_fixed' : ''}`,
          kind: 'lira',
          scores: liraScores(sig, { mode, fixedVariance }),
        });
    return out;
  },
});

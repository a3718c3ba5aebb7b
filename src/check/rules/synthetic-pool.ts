/**
 * E311: shadows trained on synthesised data (a marginals or hill_climb dataset) never train on a
 * candidate, so they serve only attacks that need no model trained with the candidates: Shokri's
 * shadow_model, ML-Leaks, calibrated thresholds, offline LiRA and RMIA. Refused here, at the setting:
 * online modes (models IN and OUT of each candidate), a population drawn from the synthetic pool (the
 * target is asked about population records, and it is not asked about synthetic ones), augmented
 * queries (the augmented copies are made of the target's dataset only), and synthesised data as a
 * target's members or non-members.
 */
import { attackAugmentations, attackOf, attackPopulation, attackShadows, attackTitle } from '../../attacks/needs.js';
import { sourceOf } from '../../data/sources/index.js';
import { type TrainedShadowsDef, trainedShadows } from '../../kinds/program.js';
import type { Rule } from './rule.js';

export const syntheticPool: Rule = {
  name: 'synthetic-pool',
  codes: ['E311'],
  run(ctx) {
    const p = ctx.program;
    const synthetic = new Set(p.datasets.filter((d) => sourceOf(d.source).synthesis).map((d) => d.name));
    if (synthetic.size === 0) return;
    const onSynthetic = (name: string | null): TrainedShadowsDef | undefined => {
      const s = trainedShadows(p.shadows).find((x) => x.name === name);
      return s && synthetic.has(s.pool.dataset) ? s : undefined;
    };
    for (const a of p.attacks) {
      const d = attackOf(a);
      const half = d.needsHalfShadows?.(a.settings) ?? null;
      const online = onSynthetic(half);
      if (online)
        ctx.error(
          'E311',
          `The online ${attackTitle(a)} attack "${a.name}" needs models trained with each candidate, but shadows "${online.name}" train on the synthesised "${online.pool.dataset}", which holds no candidate.`,
          ctx.loc.of(a, 'mode'),
          `Use mode: offline, or give shadows "${online.name}" a pool of the target's dataset sampled half.`,
        );
      const pop = attackPopulation(a);
      const fromPool = pop && !pop.subset ? onSynthetic(pop.poolOf) : undefined;
      if (fromPool)
        ctx.error(
          'E311',
          `The ${attackTitle(a)} attack "${a.name}" draws its population from the pool of shadows "${fromPool.name}", the synthesised "${fromPool.pool.dataset}"; population records must be the target's dataset's.`,
          ctx.loc.of(a),
          "Name them: population: DATASET.rest (records of the target's dataset outside the candidates).",
        );
      if (pop?.subset && synthetic.has(pop.subset.dataset))
        ctx.error(
          'E311',
          `The population of the ${attackTitle(a)} attack "${a.name}" is synthesised ("${pop.subset.dataset}"); population records must be the target's dataset's.`,
          ctx.loc.of(pop.subset),
        );
      const augmented =
        attackAugmentations(a).length > 0
          ? attackShadows(a)
              .map(onSynthetic)
              .find((s) => s)
          : undefined;
      if (augmented)
        ctx.error(
          'E311',
          `The ${attackTitle(a)} attack "${a.name}" queries augmented copies, which mia does not make of the synthesised records shadows "${augmented.name}" train on.`,
          ctx.loc.of(a, 'augmentations'),
          "Drop the augmentations, or use shadows on the target's dataset.",
        );
    }
    for (const t of p.targets)
      for (const ref of [t.members, t.nonmembers])
        if (synthetic.has(ref.dataset))
          ctx.error(
            'E311',
            `The target "${t.name}" cannot be trained or scored on the synthesised "${ref.dataset}": it is shadow data.`,
            ctx.loc.of(ref),
            'Synthesised datasets serve as shadow pools: shadows NAME { pool ... }.',
          );
  },
};

/**
 * E350: every attack whose descriptor says needsProbabilities (all but label-only ones) reads the target's output scores (probabilities or logits); a target
 * whose composed release is labels only (a step releasing labels: the labels_only defense, or a remote API with output
 * labels or scores) cannot serve it.
 * W350: with several targets, such an attack is skipped against that target only (it runs against the others).
 */
import { attackOf } from '../../attacks/needs.js';
import { defenseOf } from '../../defenses/index.js';
import { releaseForm } from '../../kinds/output-release.js';
import { releaseOf } from '../target-release.js';
import type { Rule } from './rule.js';
import { apiTarget } from '../read/target-sources/index.js';

export const needsProbabilities: Rule = {
  name: 'needs-probabilities',
  codes: ['E350', 'W350'],
  run(ctx) {
    const p = ctx.program;
    for (const t of p.targets) {
      const own = t.defenses.find((d) => defenseOf(d).release?.(d.settings).releases === 'labels');
      const why = own
        ? `the ${own.kind} defense`
        : apiTarget(t)?.output === 'scores'
          ? 'its output is unnormalised scores, of which mia reads only the highest class'
          : releaseForm(releaseOf(t)) === 'labels'
            ? 'its output is labels'
            : null;
      if (!why) continue;
      for (const a of p.attacks) {
        if (!attackOf(a).needsProbabilities) continue;
        const msg = `The ${a.kind} attack "${a.name}" needs the target's probabilities, but target "${t.name}" releases labels only (${why})`;
        if (p.targets.length > 1) ctx.warn('W350', `${msg}: it is skipped against that target.`, ctx.loc.of(a, 'kind'));
        else
          ctx.error(
            'E350',
            `${msg}.`,
            ctx.loc.of(a, 'kind'),
            'Use a label_only attack against this target, or drop the labels-only release.',
          );
      }
    }
  },
};

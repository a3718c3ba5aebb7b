/** E330: convolution and pooling layers need images; a model trained on tabular (1-D) data cannot have them. */
import { layerKind } from '../../ml/layers/index.js';
import { modality } from '../facts.js';
import { trainedShadows } from '../../kinds/program.js';
import { trainedModel } from '../read/target-sources/index.js';
import type { Rule } from './rule.js';

export const convOnTabular: Rule = {
  name: 'conv-on-tabular',
  codes: ['E330'],
  run(ctx) {
    const p = ctx.program;
    const uses: { model: string; dataset: string; who: string }[] = [
      ...p.targets.flatMap((t) => {
        const model = trainedModel(t);
        return model !== null ? [{ model, dataset: t.members.dataset, who: `target "${t.name}"` }] : [];
      }),
      ...trainedShadows(p.shadows).map((s) => ({
        model: s.model,
        dataset: s.pool.dataset,
        who: `shadows "${s.name}"`,
      })),
    ];
    const reported = new Set<string>();
    for (const u of uses) {
      const m = p.models.find((x) => x.name === u.model);
      const ds = p.datasets.find((d) => d.name === u.dataset);
      if (!m || !ds || modality(ds.source) !== 'tabular') continue;
      m.layers.forEach((l, i) => {
        if (!layerKind(l.kind)?.images) return;
        const key = `${m.name}/${i}`;
        if (reported.has(key)) return;
        reported.add(key);
        ctx.error(
          'E330',
          `The layer ${l.kind} of model "${m.name}" needs image data, but ${u.who} trains it on tabular data ("${ds.name}", ${ds.source.kind}), which is 1-D.`,
          ctx.loc.of(m, `layers.${i}`),
          'Use dense layers on tabular data.',
        );
      });
    }
  },
};

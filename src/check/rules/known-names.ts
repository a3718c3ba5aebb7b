/** E202: every reference names a declaration of the right kind ("did you mean" on a near miss). */
import { attackOf } from '../../attacks/needs.js';
import { sourceOf } from '../../data/sources/index.js';
import { dataRefs } from '../facts.js';
import { trainedShadows } from '../../kinds/program.js';
import type { Place } from '../locations.js';
import { didYouMean } from '../../util/suggest.js';
import type { Rule, RuleContext } from './rule.js';
import { trainedModel } from '../read/target-sources/index.js';

function resolve(
  ctx: RuleContext,
  kind: 'dataset' | 'model' | 'shadows' | 'target',
  name: string,
  at: Place | undefined,
): void {
  const d = ctx.decls.get(name);
  if (d && d.item.kind === kind) return;
  const same = [...ctx.decls.values()].filter((x) => x.item.kind === kind).map((x) => x.item.name);
  if (d) {
    ctx.error(
      'E202',
      `"${name}" is a ${d.item.kind}, not a ${kind}.${didYouMean(name, same)}`,
      at,
      same.length ? `Declared ${kind}: ${same.join(', ')}.` : undefined,
    );
    return;
  }
  ctx.error(
    'E202',
    `Unknown ${kind} "${name}".${didYouMean(name, same)}`,
    at,
    same.length ? `Declared ${kind}: ${same.join(', ')}.` : `Declare it first: ${kind} ${name} ...`,
  );
}

export const knownNames: Rule = {
  name: 'known-names',
  codes: ['E202'],
  run(ctx) {
    const p = ctx.program;
    for (const { ref } of dataRefs(p)) resolve(ctx, 'dataset', ref.dataset, ctx.loc.of(ref, 'dataset'));
    for (const t of p.targets) {
      const model = trainedModel(t);
      if (model !== null) resolve(ctx, 'model', model, ctx.loc.of(t, 'model'));
    }
    for (const s of trainedShadows(p.shadows)) resolve(ctx, 'model', s.model, ctx.loc.of(s, 'model'));
    for (const a of p.attacks) {
      for (const [k, s] of Object.entries(attackOf(a).settings)) {
        const v = a.settings[k];
        if (s.type === 'shadows' && typeof v === 'string') resolve(ctx, 'shadows', v, ctx.loc.of(a, k));
      }
    }
    for (const d of p.datasets)
      for (const [k, s] of Object.entries(sourceOf(d.source).settings)) {
        const v = d.source.settings[k];
        if (s.type === 'target' && typeof v === 'string') resolve(ctx, 'target', v, ctx.loc.of(d, k));
      }
  },
};

/**
 * E203–E206: an experiment needs one experiment header, at least one target and one attack, at most
 * one report. A file with no experiment header and no target, attack, sweep or report is a library of
 * declarations meant to be imported, and needs none of them. After a syntax error the file's declarations
 * are not known, so E203–E205 are not reported.
 */
import type { Rule } from './rule.js';

export const requiredDeclarations: Rule = {
  name: 'required-declarations',
  codes: ['E203', 'E204', 'E205', 'E206'],
  run(ctx) {
    const main = ctx.items.filter((s) => s.file === ctx.file).map((s) => s.item);
    const kinds = (k: string): number => ctx.items.filter((s) => s.item.kind === k).length;
    const exps = main.filter((i) => i.kind === 'experiment');
    const declaredAnywhere = (k: string): boolean => [...ctx.decls.values()].some((d) => d.item.kind === k);
    const library = exps.length === 0 && !main.some((i) => ['target', 'attack', 'sweep', 'report'].includes(i.kind));
    if (library || ctx.parseRecovered) return;
    if (exps.length === 0)
      ctx.error(
        'E203',
        'The file has no experiment declaration.',
        { file: ctx.file, range: { start: ctx.whole.start, end: ctx.whole.start } },
        'Add one at the top: experiment NAME { seed 1 }',
      );
    for (const extra of exps.slice(1))
      ctx.error(
        'E206',
        'There is more than one experiment declaration.',
        { file: ctx.file, range: extra.range },
        'Keep one.',
      );
    for (const extra of main.filter((i) => i.kind === 'report').slice(1))
      ctx.error(
        'E206',
        'There is more than one report declaration.',
        { file: ctx.file, range: extra.range },
        'Merge them into one.',
      );
    const end = { file: ctx.file, range: { start: ctx.whole.end, end: ctx.whole.end } };
    if (kinds('target') === 0 && !declaredAnywhere('target'))
      ctx.error(
        'E204',
        'The experiment declares no target.',
        end,
        'Add one: target victim { model M, members D.take(1000), nonmembers D.take(1000) }',
      );
    if (kinds('attack') === 0 && !declaredAnywhere('attack'))
      ctx.error('E205', 'The experiment declares no attack.', end, 'Add one: attack loss = threshold { signal: loss }');
  },
};

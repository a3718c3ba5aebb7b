/** `canaries digits.take(1000) { mislabel: true, repeat: 2 }` in a target: the audit's canary records. */
import type { Expr } from '../../lang/index.js';
import type { CanariesDef } from '../../kinds/program.js';
import type { ReadContext } from './context.js';
import { readDataRef } from './data.js';

const SETTINGS = ['mislabel', 'repeat'] as const;

/** The canaries of target `target`: a subset, with an optional block of settings after it. */
export function readCanaries(ctx: ReadContext, e: Expr, target: string): CanariesDef | undefined {
  const { r, loc } = ctx;
  const what = `the canaries of target "${target}"`;
  const block = e.kind === 'call' && e.callee.kind === 'member' ? e.block : null;
  const subset: Expr = block && e.kind === 'call' ? (e.parens ? { ...e, block: null } : e.callee) : e;
  const data = readDataRef(ctx, subset, `The canaries of target "${target}"`);
  const es = block ? r.entries(block, what, SETTINGS) : new Map();
  const mE = es.get('mislabel');
  const mislabel = mE ? r.boolean(mE.value, 'mislabel setting') : false;
  const kE = es.get('repeat');
  let repeat = kE ? r.number(kE.value, `The repeat of ${what}`, { integer: true }) : 1;
  if (kE && repeat !== undefined && repeat < 1) {
    r.error(
      'E111',
      `The repeat of ${what} must be at least 1, not ${repeat}.`,
      kE.value.range,
      'Use repeat: 1 or more.',
    );
    repeat = undefined;
  }
  if (!data || mislabel === undefined || repeat === undefined) return undefined;
  const def: CanariesDef = { data, mislabel, repeat, file: r.file, range: e.range };
  loc.put(def, r.file, e.range, {
    data: subset.range,
    ...(mE ? { mislabel: mE.value.range } : {}),
    ...(kE ? { repeat: kE.value.range } : {}),
  });
  return def;
}

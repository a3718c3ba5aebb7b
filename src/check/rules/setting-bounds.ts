/**
 * E111, E117, E118 for the settings of every kind, from its schema: a number outside its bound (E111
 * for positive and at-least-1 settings, E117 for fractions and the like) or past its limit (E118), and
 * the bounds of augmentations, each with the schema's message at the value's place.
 */
import type { Code } from '../../lang/codes.js';
import { match } from 'ts-pattern';
import { attackOf } from '../../attacks/needs.js';
import { sourceOf } from '../../data/sources/index.js';
import { defenseOf } from '../../defenses/index.js';
import {
  BOUND_OK,
  BOUND_TEXT,
  isAugmentations,
  type Bound,
  type Schema,
  type Setting,
  type Settings,
} from '../../kinds/schema.js';
import { TRAIN_SCHEMA, trainSettingsOf } from '../../ml/train-settings/index.js';
import { CANARY_SCHEMA } from '../../kinds/canary-settings/index.js';
import { AUDIT_SCHEMA } from '../../audit/settings.js';
import type { Augmentation } from '../../kinds/program.js';
import { fmtLimit, LIMITS } from '../../kinds/size-limits.js';
import type { Rule, RuleContext } from './rule.js';

const codeOf = (b: Bound): Code => (b === 'positive' || b === 'atLeast1' ? 'E111' : 'E117');

/**
 * Checks `settings` of one definition (`def`, whose fields are located, nested ones under `prefix`)
 * against `schema`; a nested block's or a choice's settings against their own schema.
 */
export function checkSettings(
  ctx: RuleContext,
  schema: Schema,
  settings: Settings,
  def: object,
  owner: string,
  prefix = '',
): void {
  for (const [k, s] of Object.entries(schema)) {
    const v = settings[k];
    if (s.type === 'augmentations' && isAugmentations(v)) checkAugmentations(ctx, v, def, k, owner);
    if (typeof v === 'object' && v !== null && !Array.isArray(v))
      checkNested(ctx, s, v as Settings, def, owner, `${prefix}${k}.`);
    if (s.type !== 'number' || typeof v !== 'number') continue;
    const at = ctx.loc.of(def, `${prefix}${k}`);
    const the = s.label ?? `The ${k}`;
    if (s.bound && !BOUND_OK[s.bound](v))
      ctx.error(codeOf(s.bound), `${the} of ${owner} must be ${BOUND_TEXT[s.bound]}, not ${v}.`, at, s.hint);
    else if (s.max !== undefined && v > s.max)
      ctx.error(
        'E118',
        `${the} of ${owner} is ${fmtLimit(v)}, more than mia allows (${fmtLimit(s.max)}).`,
        at,
        'Check the number for a typo.',
      );
  }
}

/** A block's settings, or the settings of the kind a choice took. */
function checkNested(ctx: RuleContext, s: Setting, v: Settings, def: object, owner: string, prefix: string): void {
  if (s.type === 'block') checkSettings(ctx, s.settings, v, def, owner, prefix);
  if (s.type !== 'choice') return;
  const option = s.options.find((o) => o.kind === v.kind);
  if (option) checkSettings(ctx, option.settings, v, def, owner, prefix);
}

function checkAugmentations(ctx: RuleContext, augs: Augmentation[], def: object, key: string, owner: string): void {
  augs.forEach((g, i) => {
    const f = (k: string): string => `${key}.${i}.${k}`;
    const bound = (v: number, b: Bound, k: string): void => {
      if (!BOUND_OK[b](v))
        ctx.error(codeOf(b), `The ${k} of ${g.kind} must be ${BOUND_TEXT[b]}, not ${v}.`, ctx.loc.of(def, f(k)));
    };
    const limit = (v: number, what: string): void => {
      if (v > LIMITS.queries)
        ctx.error(
          'E118',
          `The ${what} of ${owner} is ${fmtLimit(v)}, more than mia allows (${fmtLimit(LIMITS.queries)}).`,
          ctx.loc.of(def, key),
          'Check the number for a typo.',
        );
    };
    match(g)
      .with({ kind: 'rotate' }, (x) => bound(x.degrees, 'positive', 'degrees'))
      .with({ kind: 'translate' }, (x) => bound(x.pixels, 'atLeast1', 'pixels'))
      .with({ kind: 'flip_bits' }, (x) => {
        bound(x.count, 'atLeast1', 'count');
        if (x.max < x.count)
          ctx.error(
            'E111',
            `The max of flip_bits must be at least its count (${x.count}), not ${x.max}.`,
            ctx.loc.of(def, f('max')),
          );
        limit(x.count, 'flip_bits copies');
      })
      .with({ kind: 'noise' }, (x) => {
        bound(x.sigma, 'positive', 'sigma');
        bound(x.queries, 'atLeast1', 'queries');
        limit(x.queries, 'noise queries');
      })
      .with({ kind: 'ray' }, (x) => limit(x.directions * x.steps, 'boundary queries'))
      .exhaustive();
  });
}

export const settingBounds: Rule = {
  name: 'setting-bounds',
  codes: ['E111', 'E117', 'E118', 'E160', 'E163', 'E164'],
  run(ctx) {
    for (const d of ctx.program.datasets)
      checkSettings(ctx, sourceOf(d.source).settings, d.source.settings, d, `${d.source.kind} "${d.name}"`);
    for (const t of ctx.program.targets) {
      if (t.canaries)
        checkSettings(ctx, CANARY_SCHEMA, t.canaries as Settings, t.canaries, `the canaries of target "${t.name}"`);
      const source = ctx.program.datasets.find((x) => x.name === t.members.dataset)?.source;
      const classes = (source && sourceOf(source).shape?.(source.settings)?.classes) ?? null;
      for (const d of t.defenses) {
        checkSettings(ctx, defenseOf(d).settings, d.settings, d, d.kind);
        defenseOf(d).check?.(d.settings, {
          error: (code, message, setting, hint) =>
            ctx.error(code, message, ctx.loc.of(d, setting) ?? ctx.loc.of(d), hint),
          classes,
        });
      }
    }
    for (const a of ctx.program.attacks)
      checkSettings(ctx, attackOf(a).settings, a.settings, a, `${a.kind} "${a.name}"`);
    for (const m of ctx.program.models)
      checkSettings(ctx, TRAIN_SCHEMA, trainSettingsOf(m.train), m.train, `model "${m.name}"`);
    const audit = ctx.program.report?.audit;
    if (audit)
      checkSettings(ctx, AUDIT_SCHEMA, { confidence: audit.confidence, delta: audit.delta }, audit, 'the audit');
  },
};

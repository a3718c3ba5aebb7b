/** Attacks with their parameters. */
import type { Expr, Item, Range } from '../../lang/index.js';
import type { AttackDef, Augmentation, DataRef, Signal } from '../program.js';
import { callParts, params, type Param } from '../reader.js';
import { didYouMean } from '../suggest.js';
import type { ReadContext } from './context.js';
import { readDataRef } from './data.js';

export const ATTACKS = ['threshold', 'shadow_model', 'ml_leaks', 'label_only', 'lira', 'rmia', 'population'] as const;
export const SIGNALS = ['loss', 'confidence', 'entropy', 'modified_entropy'] as const;
export const AUGMENTATIONS = ['rotate', 'translate', 'flip_bits', 'noise'] as const;

export function readAttack(ctx: ReadContext, a: Extract<Item, { kind: 'attack' }>): AttackDef | undefined {
  const { r, loc } = ctx;
  const c = callParts(a.value);
  if (!c) {
    r.error('E140', `The attack "${a.name}" must name an attack kind, e.g. threshold { signal: loss }.`, a.value.range);
    return undefined;
  }
  if (!(ATTACKS as readonly string[]).includes(c.name)) {
    r.error(
      'E141',
      `Unknown attack kind "${c.name}".${didYouMean(c.name, ATTACKS)}`,
      c.nameRange,
      `Attack kinds: ${ATTACKS.join(', ')}.`,
    );
    return undefined;
  }
  const what = `the ${c.name} attack "${a.name}"`;
  const fields: Record<string, Range> = { name: a.nameRange, kind: c.nameRange };
  const allowed: Record<(typeof ATTACKS)[number], string[]> = {
    threshold: ['signal', 'calibration', 'shadows'],
    shadow_model: ['shadows', 'per_class', 'classifier', 'features'],
    ml_leaks: ['shadows', 'top'],
    label_only: ['method', 'augmentations', 'shadows'],
    lira: ['shadows', 'mode', 'fixed_variance', 'augmentations'],
    rmia: ['shadows', 'mode', 'a', 'gamma', 'population', 'population_size'],
    population: ['population'],
  };
  const kind = c.name as (typeof ATTACKS)[number];
  const p = params(r, c, what, [], allowed[kind]);
  for (const [k, v] of p) fields[k] = v.value.range;
  const W = `The ${c.name} attack "${a.name}"`;
  const opt = <T>(k: string, dflt: T, read: (e: Expr) => T | undefined): T | undefined => {
    const v = p.get(k);
    return v ? read(v.value) : dflt;
  };
  const req = <T>(k: string, read: (e: Expr) => T | undefined): T | undefined => {
    const v: Param | undefined = r.required(p, k, W, a.nameRange);
    return v ? read(v.value) : undefined;
  };
  const name =
    (k: string) =>
    (e: Expr): string | undefined =>
      r.name(e, `The ${k} of ${what}`);
  const num =
    (k: string, o: { integer?: boolean; percent?: boolean } = {}) =>
    (e: Expr): number | undefined =>
      r.number(e, `The ${k} of ${what}`, o);
  const ref =
    (k: string) =>
    (e: Expr): DataRef | undefined =>
      readDataRef(ctx, e, `The ${k} of ${what}`);
  const augs = (e: Expr): Augmentation[] | undefined => readAugmentations(ctx, e, fields);
  const range = a.range;
  const N = a.name;
  let def: AttackDef | undefined;
  switch (kind) {
    case 'threshold': {
      const signal = opt<Signal>('signal', 'loss', (e) => r.oneOf(e, 'signal', SIGNALS));
      const calibration = opt('calibration', 'global' as const, (e) =>
        r.oneOf(e, 'calibration', ['global', 'per_class'] as const),
      );
      const shadows = opt<string | null>('shadows', null, name('shadows'));
      if (signal && calibration && shadows !== undefined) def = { kind, name: N, signal, calibration, shadows, range };
      break;
    }
    case 'shadow_model': {
      const shadows = req('shadows', name('shadows'));
      const perClass = opt('per_class', true, (e) => r.boolean(e, 'per_class'));
      const classifier = opt('classifier', 'logistic' as const, (e) =>
        r.oneOf(e, 'classifier', ['logistic', 'mlp'] as const),
      );
      const features = opt('features', 'sorted' as const, (e) => r.oneOf(e, 'features', ['sorted', 'full'] as const));
      if (shadows && perClass !== undefined && classifier && features)
        def = { kind, name: N, shadows, perClass, classifier, features, range };
      break;
    }
    case 'ml_leaks': {
      const shadows = req('shadows', name('shadows'));
      const top = opt('top', 3, num('top', { integer: true }));
      if (shadows && top !== undefined) def = { kind, name: N, shadows, top, range };
      break;
    }
    case 'label_only': {
      const method = opt('method', 'gap' as const, (e) =>
        r.oneOf(e, 'method', ['gap', 'augmentation', 'noise'] as const),
      );
      const augmentations = opt<Augmentation[]>('augmentations', [], augs);
      const shadows = opt<string | null>('shadows', null, name('shadows'));
      if (method && augmentations && shadows !== undefined)
        def = { kind, name: N, method, augmentations, shadows, range };
      break;
    }
    case 'lira': {
      const shadows = req('shadows', name('shadows'));
      const mode = opt('mode', 'offline' as const, (e) => r.oneOf(e, 'mode', ['online', 'offline'] as const));
      const fixedVariance = opt('fixed_variance', false, (e) => r.boolean(e, 'fixed_variance'));
      const augmentations = opt<Augmentation[]>('augmentations', [], augs);
      if (shadows && mode && fixedVariance !== undefined && augmentations)
        def = { kind, name: N, shadows, mode, fixedVariance, augmentations, range };
      break;
    }
    case 'rmia': {
      const shadows = req('shadows', name('shadows'));
      const mode = opt('mode', 'offline' as const, (e) => r.oneOf(e, 'mode', ['online', 'offline'] as const));
      const aa = opt('a', 0.3, num('a', { percent: true }));
      const gamma = opt('gamma', 2, num('gamma'));
      const population = opt<DataRef | null>('population', null, ref('population'));
      const populationSize = opt('population_size', 1000, num('population_size', { integer: true }));
      if (
        shadows &&
        mode &&
        aa !== undefined &&
        gamma !== undefined &&
        population !== undefined &&
        populationSize !== undefined
      ) {
        def = { kind, name: N, shadows, mode, a: aa, gamma, population, populationSize, range };
      }
      break;
    }
    case 'population': {
      const population = req('population', ref('population'));
      if (population) def = { kind, name: N, population, range };
      break;
    }
  }
  if (def) loc.put(def, r.file, range, fields);
  return def;
}

function readAugmentations(ctx: ReadContext, e: Expr, fields: Record<string, Range>): Augmentation[] | undefined {
  const { r } = ctx;
  const items = r.list(e, 'augmentations');
  if (!items) return undefined;
  const out: Augmentation[] = [];
  let ok = true;
  for (const [i, item] of items.entries()) {
    fields[`augmentations.${i}`] = item.range;
    const c = callParts(item);
    if (!c || !(AUGMENTATIONS as readonly string[]).includes(c.name)) {
      r.error(
        'E142',
        `Unknown augmentation${c ? ` "${c.name}"` : ''}.${c ? didYouMean(c.name, AUGMENTATIONS) : ''}`,
        c?.nameRange ?? item.range,
        'Use rotate(degrees), translate(pixels), flip_bits(count, max) or noise(sigma, queries).',
      );
      ok = false;
      continue;
    }
    const what = `the augmentation ${c.name}`;
    const num = (p: Map<string, Param>, k: string, dflt: number | undefined, integer: boolean): number | undefined => {
      const v = p.get(k);
      if (!v) {
        if (dflt === undefined) r.error('E103', `The augmentation ${c.name} needs a "${k}" setting.`, c.range);
        return dflt;
      }
      fields[`augmentations.${i}.${k}`] = v.value.range;
      return r.number(v.value, `The ${k} of ${c.name}`, { integer });
    };
    let aug: Augmentation | undefined;
    switch (c.name) {
      case 'rotate': {
        const v = num(params(r, c, what, ['degrees'], []), 'degrees', undefined, false);
        if (v !== undefined) aug = { kind: 'rotate', degrees: v };
        break;
      }
      case 'translate': {
        const v = num(params(r, c, what, ['pixels'], []), 'pixels', undefined, true);
        if (v !== undefined) aug = { kind: 'translate', pixels: v };
        break;
      }
      case 'flip_bits': {
        const p = params(r, c, what, ['count', 'max'], []);
        const count = num(p, 'count', undefined, true);
        const max = num(p, 'max', count, true);
        if (count !== undefined && max !== undefined) aug = { kind: 'flip_bits', count, max };
        break;
      }
      default: {
        const p = params(r, c, what, ['sigma', 'queries'], []);
        const sigma = num(p, 'sigma', undefined, false);
        const queries = num(p, 'queries', 100, true);
        if (sigma !== undefined && queries !== undefined) aug = { kind: 'noise', sigma, queries };
      }
    }
    if (aug) out.push(aug);
    else ok = false;
  }
  return ok ? out : undefined;
}

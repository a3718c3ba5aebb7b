/**
 * Reading attack declarations into the AttackDef variants of the typed program (every kind, every
 * parameter, with defaults). A stopgap beside check.ts until the full checker lands; it fills the
 * same contract.
 *
 *   threshold    { signal: loss|confidence|entropy|modified_entropy, calibration: global|per_class, shadows: S }
 *   shadow_model { shadows: S, per_class: true, classifier: logistic|mlp, features: sorted|full }
 *   ml_leaks     { shadows: S, top: 3 }
 *   label_only   { method: gap|augmentation|noise, augmentations: [rotate(3), translate(1), flip_bits(10, 3), noise(0.1, 20)], shadows: S }
 *   lira         { shadows: S, mode: online|offline, fixed_variance: false, augmentations: [...] }
 *   rmia         { shadows: S, mode: online|offline, a: 0.3, gamma: 2, population: D.rest, population_size: 1000 }
 *   population   { population: D.rest }
 */
import type { Block, Entry, Expr, Item, Range } from '../lang/index.js';
import type { AttackDef, Augmentation, DataRef, ShadowsDef, Signal } from './program.js';
import { callParts, type Reader } from './reader.js';
import { didYouMean } from './suggest.js';

const SIGNALS = ['loss', 'confidence', 'entropy', 'modified_entropy'] as const;
export const ATTACK_KINDS = ['threshold', 'shadow_model', 'ml_leaks', 'label_only', 'lira', 'rmia', 'population'] as const;

export interface AttackResolvers {
  shadows(e: Expr): string | undefined;
  data(e: Expr, what: string): DataRef | undefined;
  shadowDef(name: string): ShadowsDef | undefined;
}

type AttackItem = Extract<Item, { kind: 'attack' }>;

export function readAttack(r: Reader, a: AttackItem, kind: string, kindRange: Range, body: Block, res: AttackResolvers): AttackDef | undefined {
  const what = `attack "${a.name}"`;
  const base = { name: a.name, range: a.range };
  const shadowsOf = (es: Map<string, Entry>, required: boolean): string | null | undefined => {
    const e = required ? r.required(es, 'shadows', `The ${what}`, a.nameRange) : es.get('shadows');
    if (!e) return required ? undefined : null;
    return res.shadows(e.value);
  };
  const bool = (es: Map<string, Entry>, key: string, dflt: boolean): boolean | undefined => {
    const e = es.get(key);
    return e ? r.boolean(e.value, key) : dflt;
  };
  const num = (es: Map<string, Entry>, key: string, dflt: number, opts: Parameters<Reader['number']>[2]): number | undefined => {
    const e = es.get(key);
    return e ? r.number(e.value, `The ${key} of ${what}`, opts) : dflt;
  };
  const one = <T extends string>(es: Map<string, Entry>, key: string, options: readonly T[], dflt: T): T | undefined => {
    const e = es.get(key);
    return e ? r.oneOf(e.value, key, options) : dflt;
  };
  switch (kind) {
    case 'threshold': {
      const es = r.entries(body, what, ['signal', 'calibration', 'shadows']);
      const signal: Signal | undefined = one(es, 'signal', SIGNALS, 'loss');
      const calibration = one(es, 'calibration', ['global', 'per_class'] as const, 'global');
      const shadows = shadowsOf(es, false);
      if (calibration === 'per_class' && shadows === null) {
        r.error('E142', `The ${what} is calibrated per class, which needs shadow models to calibrate on.`, a.nameRange, 'Add shadows: NAME.');
        return undefined;
      }
      if (!signal || !calibration || shadows === undefined) return undefined;
      return { kind: 'threshold', ...base, signal, calibration, shadows };
    }
    case 'shadow_model': {
      const es = r.entries(body, what, ['shadows', 'per_class', 'classifier', 'features']);
      const shadows = shadowsOf(es, true);
      const perClass = bool(es, 'per_class', true);
      const classifier = one(es, 'classifier', ['logistic', 'mlp'] as const, 'logistic');
      const features = one(es, 'features', ['sorted', 'full'] as const, 'sorted');
      if (!shadows || perClass === undefined || !classifier || !features) return undefined;
      if (res.shadowDef(shadows)?.count === 1) r.warn('W301', `The shadow-model attack "${a.name}" uses a single shadow model; with one, the original study saw chance-level results.`, es.get('shadows')!.value.range, 'Use count 4 or more.');
      return { kind: 'shadow_model', ...base, shadows, perClass, classifier, features };
    }
    case 'ml_leaks': {
      const es = r.entries(body, what, ['shadows', 'top']);
      const shadows = shadowsOf(es, true);
      const top = num(es, 'top', 3, { integer: true, min: 1 });
      if (!shadows || top === undefined) return undefined;
      return { kind: 'ml_leaks', ...base, shadows, top };
    }
    case 'label_only': {
      const es = r.entries(body, what, ['method', 'augmentations', 'shadows']);
      const method = one(es, 'method', ['gap', 'augmentation', 'noise'] as const, 'gap');
      const augE = es.get('augmentations');
      const augmentations = augE ? readAugmentations(r, augE.value) : [];
      const shadows = shadowsOf(es, false);
      if (!method || !augmentations || shadows === undefined) return undefined;
      if (method === 'augmentation' && (augmentations.length === 0 || augmentations.some((x) => x.kind === 'noise'))) {
        r.error('E143', `The label-only augmentation attack "${a.name}" needs augmentations such as [rotate(3), translate(1)] (noise belongs to method: noise).`, augE?.value.range ?? a.nameRange);
        return undefined;
      }
      if (method === 'noise' && (augmentations.length === 0 || augmentations.some((x) => x.kind !== 'noise'))) {
        r.error('E143', `The label-only noise attack "${a.name}" needs augmentations: [noise(SIGMA, QUERIES)] and nothing else.`, augE?.value.range ?? a.nameRange);
        return undefined;
      }
      if (method === 'gap' && augmentations.length > 0) r.warn('W302', `The gap attack "${a.name}" does not use augmentations.`, augE!.value.range);
      return { kind: 'label_only', ...base, method, augmentations: method === 'gap' ? [] : augmentations, shadows };
    }
    case 'lira': {
      const es = r.entries(body, what, ['shadows', 'mode', 'fixed_variance', 'augmentations']);
      const shadows = shadowsOf(es, true);
      const mode = one(es, 'mode', ['online', 'offline'] as const, 'online');
      const fixedVariance = bool(es, 'fixed_variance', false);
      const augE = es.get('augmentations');
      const augmentations = augE ? readAugmentations(r, augE.value) : [];
      if (!shadows || !mode || fixedVariance === undefined || !augmentations) return undefined;
      if (mode === 'online' && res.shadowDef(shadows)?.sampling !== 'half') {
        r.error('E144', `Online LiRA "${a.name}" needs IN and OUT models for every candidate: the shadows "${shadows}" must be sampled half from a pool that covers the target's members and non-members.`, es.get('shadows')!.value.range,
          `Declare shadows NAME { model M, count 8, pool DATASET, sampling half } (the whole dataset as pool), or use mode: offline.`);
        return undefined;
      }
      return { kind: 'lira', ...base, shadows, mode, fixedVariance, augmentations };
    }
    case 'rmia': {
      const es = r.entries(body, what, ['shadows', 'mode', 'a', 'gamma', 'population', 'population_size']);
      const shadows = shadowsOf(es, true);
      const mode = one(es, 'mode', ['online', 'offline'] as const, 'online');
      const aParam = num(es, 'a', 0.3, { min: 0, max: 1 });
      const gamma = num(es, 'gamma', 2, { minExclusive: 0 });
      const popE = es.get('population');
      const population = popE ? res.data(popE.value, 'The population') ?? undefined : null;
      const populationSize = num(es, 'population_size', 1000, { integer: true, min: 1 });
      if (!shadows || !mode || aParam === undefined || gamma === undefined || population === undefined || populationSize === undefined) return undefined;
      if (mode === 'online' && res.shadowDef(shadows)?.sampling !== 'half') {
        r.error('E144', `Online RMIA "${a.name}" needs IN and OUT models for every candidate: the shadows "${shadows}" must be sampled half from a pool that covers the target's members and non-members.`, es.get('shadows')!.value.range, 'Use sampling half with the whole dataset as pool, or mode: offline.');
        return undefined;
      }
      return { kind: 'rmia', ...base, shadows, mode, a: aParam, gamma, population, populationSize };
    }
    case 'population': {
      const es = r.entries(body, what, ['population']);
      const popE = r.required(es, 'population', `The ${what}`, a.nameRange);
      const population = popE ? res.data(popE.value, 'The population') : undefined;
      if (!population) return undefined;
      return { kind: 'population', ...base, population };
    }
    default:
      r.error('E141', `Unknown attack kind "${kind}".${didYouMean(kind, ATTACK_KINDS)}`, kindRange, `Use one of: ${ATTACK_KINDS.join(', ')}.`);
      return undefined;
  }
}

function readAugmentations(r: Reader, e: Expr): Augmentation[] | undefined {
  if (e.kind !== 'list') { r.error('E145', 'augmentations must be a list, e.g. [rotate(3), translate(1)].', e.range); return undefined; }
  const out: Augmentation[] = [];
  for (const item of e.items) {
    const c = callParts(item);
    const kinds = ['rotate', 'translate', 'flip_bits', 'noise'] as const;
    if (!c || !(kinds as readonly string[]).includes(c.name)) {
      r.error('E146', `Unknown augmentation${c ? ` "${c.name}"` : ''}.${c ? didYouMean(c.name, kinds) : ''}`, item.range, 'Use rotate(degrees), translate(pixels), flip_bits(copies, max_bits) or noise(sigma, queries).');
      return undefined;
    }
    const arg = (i: number, name: string, what: string, opts: Parameters<Reader['number']>[2]): number | undefined => {
      const x = c.args[i] ?? c.named.get(name);
      if (!x) { r.error('E147', `${c.name} needs ${what}.`, item.range); return undefined; }
      return r.number(x, `The ${name} of ${c.name}`, opts);
    };
    if (c.name === 'rotate') { const d = arg(0, 'degrees', 'an angle in degrees: rotate(3)', { minExclusive: 0, max: 180 }); if (d === undefined) return undefined; out.push({ kind: 'rotate', degrees: d }); }
    else if (c.name === 'translate') { const p = arg(0, 'pixels', 'a number of pixels: translate(1)', { integer: true, min: 1 }); if (p === undefined) return undefined; out.push({ kind: 'translate', pixels: p }); }
    else if (c.name === 'flip_bits') {
      const count = arg(0, 'count', 'a number of copies and a maximum of flipped bits: flip_bits(10, 3)', { integer: true, min: 1 });
      const max = arg(1, 'max', 'a number of copies and a maximum of flipped bits: flip_bits(10, 3)', { integer: true, min: 1 });
      if (count === undefined || max === undefined) return undefined;
      out.push({ kind: 'flip_bits', count, max });
    } else {
      const sigma = arg(0, 'sigma', 'a standard deviation and a number of queries: noise(0.1, 20)', { minExclusive: 0 });
      const queries = arg(1, 'queries', 'a standard deviation and a number of queries: noise(0.1, 20)', { integer: true, min: 1 });
      if (sigma === undefined || queries === undefined) return undefined;
      out.push({ kind: 'noise', sigma, queries });
    }
  }
  return out;
}

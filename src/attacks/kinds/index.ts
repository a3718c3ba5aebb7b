/**
 * The attack kinds: one descriptor each, in its own file, and one line here. Plugins add theirs with
 * `registerAttack` (`mia run --plugin FILE` imports the plugin in the main thread and in every worker).
 */
import type { AnyAttack } from '../kind.js';
import { boundaryDistance } from './boundary-distance.js';
import { labelOnly } from './label-only.js';
import { lira } from './lira.js';
import { mlLeaks } from './ml-leaks.js';
import { population } from './population.js';
import { quantile } from './quantile.js';
import { rmia } from './rmia.js';
import { shadowModel } from './shadow-model.js';
import { threshold } from './threshold.js';

const BUILT_IN: readonly AnyAttack[] = [
  threshold,
  shadowModel,
  mlLeaks,
  labelOnly,
  lira,
  rmia,
  population,
  quantile,
  boundaryDistance,
];

const registry = new Map<string, AnyAttack>(BUILT_IN.map((d) => [d.kind, d]));

/** Adds an attack kind; a kind of the same name already registered is a mistake, and an error. */
export function registerAttack<D extends AnyAttack>(d: D): D {
  const known = registry.get(d.kind);
  if (known === d) return d;
  if (known) throw new Error(`An attack kind "${d.kind}" is already registered.`);
  if (!/^[a-z][a-z0-9_]*$/.test(d.kind))
    throw new Error(`An attack kind's name must be lower case letters, digits and _, not "${d.kind}".`);
  registry.set(d.kind, d);
  return d;
}

export const attackKind = (kind: string): AnyAttack | undefined => registry.get(kind);

/** Every registered attack kind, built-in ones first, in registration order. */
export const attackKinds = (): AnyAttack[] => [...registry.values()];

/**
 * The attack kinds: one descriptor each, in its own file, and one line here. Plugins add theirs with
 * `registerAttack` (`mia run --plugin FILE` imports the plugin in the main thread and in every worker).
 */
import { makeRegistry } from '../../kinds/registry.js';
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

const attacks = makeRegistry<AnyAttack>('attack kind', BUILT_IN);

/** Adds an attack kind; a kind of the same name already registered is a mistake, and an error. */
export const registerAttack = attacks.register;

export const attackKind = attacks.get;

/** Every registered attack kind, built-in ones first, in registration order. */
export const attackKinds = attacks.all;

/** The descriptor of a checked attack; an unregistered kind here is a bug. */
export const attackOf = attacks.of;

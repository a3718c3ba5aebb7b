/** The data-source kinds: one descriptor each, in its own file, and one line here (or `registerDataSource`). */
import type { AnySource } from '../source.js';
import { cifar10 } from './cifar10.js';
import { csv } from './csv.js';
import { hillClimb } from './hill-climb.js';
import { idx } from './idx.js';
import { marginals } from './marginals.js';
import { mnist } from './mnist.js';
import { npy } from './npy.js';
import { syntheticPurchase } from './synthetic-purchase.js';

const BUILT_IN: readonly AnySource[] = [mnist, csv, idx, cifar10, npy, syntheticPurchase, marginals, hillClimb];

const registry = new Map<string, AnySource>(BUILT_IN.map((d) => [d.kind, d]));

/** Adds a data-source kind; one of the same name already registered is an error. */
export function registerDataSource<D extends AnySource>(d: D): D {
  const known = registry.get(d.kind);
  if (known === d) return d;
  if (known) throw new Error(`A data source "${d.kind}" is already registered.`);
  registry.set(d.kind, d);
  return d;
}

export const dataSourceKind = (kind: string): AnySource | undefined => registry.get(kind);

export const dataSourceKinds = (): AnySource[] => [...registry.values()];

/** The descriptor of a checked source; an unregistered kind here is a bug. */
export function sourceOf(s: { kind: string }): AnySource {
  const d = registry.get(s.kind);
  if (!d) throw new Error(`The data source "${s.kind}" is not registered (is its plugin loaded in this thread?).`);
  return d;
}

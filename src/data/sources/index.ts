/** The data-source kinds: one descriptor each, in its own file, and one line here (or `registerDataSource`). */
import { makeRegistry } from '../../kinds/registry.js';
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

const sources = makeRegistry<AnySource>('data source', BUILT_IN);

/** Adds a data-source kind; one of the same name already registered is an error. */
export const registerDataSource = sources.register;

export const dataSourceKind = sources.get;

export const dataSourceKinds = sources.all;

/** The descriptor of a checked source; an unregistered kind here is a bug. */
export const sourceOf = sources.of;

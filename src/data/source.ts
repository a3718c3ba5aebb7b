/**
 * The data-source descriptor: one object per kind of source (`mnist`, `csv(..)`, ...). The checker
 * reads its settings through the schema and asks it what is known before loading (modality, record
 * count); the run gate refuses a source without `load` ("not supported by mia run yet"); the worker
 * and the planner call `load` and `facts`. A new source is its file plus one line in sources/index.ts.
 */
import type { Schema, Settings, SettingsOf } from '../kinds/schema.js';
import type { Dataset } from './dataset.js';

export type Modality = 'image' | 'tabular';

/** What planning needs of a loaded source: size, classes, shape, labels, modality. */
export interface SourceFacts {
  n: number;
  classes: number;
  shape: number[];
  labels: Int32Array;
  kind: Modality;
}

/** A record's shape and the class count, as known before loading. */
export interface StaticShape {
  dims: number[];
  classes: number;
}

export interface DataSourceDescriptor<S extends Schema> {
  kind: string;
  summary: string;
  settings: S;
  positional?: readonly string[];
  /** Images or tabular records: known from the kind (and its settings) before loading. */
  modality(s: SettingsOf<S>): Modality;
  /** The number of records when it is known without reading files, else null. */
  records?(s: SettingsOf<S>): number | null;
  /** The shape of a record and the number of classes, when known without reading files (model-size checks). */
  shape?(s: SettingsOf<S>): StaticShape | null;
  /** Loads the whole dataset; absent while `mia run` cannot load this source yet. */
  load?(s: SettingsOf<S>): Omit<Dataset, 'name'>;
  /** The facts without the features, where that is cheaper than `load`. */
  facts?(s: SettingsOf<S>): SourceFacts;
}

/** Any data-source descriptor, its settings untyped: what the registry holds. */
export interface AnySource {
  kind: string;
  summary: string;
  settings: Schema;
  positional?: readonly string[];
  modality(s: Settings): Modality;
  records?(s: Settings): number | null;
  shape?(s: Settings): StaticShape | null;
  load?(s: Settings): Omit<Dataset, 'name'>;
  facts?(s: Settings): SourceFacts;
}

export const defineSource = <const S extends Schema>(d: DataSourceDescriptor<S>): DataSourceDescriptor<S> => d;

/** The normalisation setting most sources share. */
export const normalize = (dflt: 'none' | 'minmax' | 'standard') =>
  ({
    type: 'enum',
    options: ['none', 'minmax', 'standard'],
    default: dflt,
    doc: 'Feature scaling: none, to [0, 1] (minmax) or to mean 0 and deviation 1 (standard).',
  }) as const;

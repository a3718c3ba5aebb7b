/**
 * The data-source descriptor: one object per kind of source (`mnist`, `csv(..)`, ...). The checker
 * reads its settings through the schema and asks it what is known before loading (modality, record
 * count); the run gate refuses a source without `load` ("not supported by mia run yet"); the planner
 * calls `facts` in the main thread (parsing files once, through the cache) and the worker `load`. A new source is its file plus one line in sources/index.ts.
 */
import type { Schema, Settings, SettingsOf } from '../kinds/schema.js';
import type { Dataset } from './dataset.js';
import type { ColumnValues } from './formats/csv-column-values.js';

export type Modality = 'image' | 'tabular';

/**
 * Where a source is read from: `dir` is the folder of the spec that declared the dataset (relative
 * paths are resolved against it), `cacheDir` the run's cache (parsed files are stored under
 * `<cacheDir>/datasets/`, see formats/cached.ts), `seed` the experiment's seed, and `key` the content
 * key the main thread's `facts` returned (a worker then reads the cached parse, not the raw files).
 */
export interface SourceContext {
  dir: string;
  cacheDir: string;
  seed: number;
  key?: string;
}

/** What planning needs of a loaded source: size, classes, shape, labels, modality. */
export interface SourceFacts {
  n: number;
  classes: number;
  shape: number[];
  labels: Int32Array;
  /** Per record, 1 for a member and 0 for a non-member, where the source has a membership column (`d.members`). */
  membership?: Uint8Array;
  kind: Modality;
  /** The content key of the parsed files (sha256 over format, options and the files' bytes): part of every job hash. */
  key?: string;
  /** Full sentences for the user: what was read, dropped, filled in. */
  notes?: string[];
}

/** A record's shape and the class count, as known before loading. */
export interface StaticShape {
  dims: number[];
  classes: number;
}

/**
 * What a synthesised source (shadow data for an attacker without records, Shokri et al. V.C) is given
 * when its job runs: the records whose statistics the attacker knows (its setting of type `data`,
 * gathered), a query function answering with the released probabilities of the target it names (its
 * setting of type `target`), the shape and classes its records take (the target's dataset's) and a seed.
 */
export interface SynthesisInput {
  statistics: Dataset | null;
  /** Probabilities (n × classes, row-major) the target releases for n records; each record counts as a query. */
  query: ((x: Float32Array, n: number) => Promise<Float32Array>) | null;
  base: Pick<Dataset, 'shape' | 'classes' | 'kind'>;
  seed: number;
}

export interface SynthesisOutput {
  dataset: Dataset;
  /** Records it asked the target about. */
  queries: number;
  /** Records given up on, per class (model-based synthesis). */
  failures?: number[];
}

/**
 * A source whose records are synthesised in a job of their own (not loaded): its `records` are known
 * at plan time, its records have the shape and classes of the dataset of its statistics or of the
 * target it queries, and it serves as the pool of shadow models.
 */
export interface Synthesis<T> {
  /** The most target queries it may spend, shown by mia plan (absent when it queries none). */
  budget?(s: T): number;
  run(s: T, input: SynthesisInput): Promise<SynthesisOutput>;
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
  load?(s: SettingsOf<S>, ctx: SourceContext): Omit<Dataset, 'name'>;
  /** The facts without the features, where that is cheaper than `load`. */
  facts?(s: SettingsOf<S>, ctx: SourceContext): SourceFacts;
  /** Synthesised shadow data: made by a synthesize job (see Synthesis) instead of loaded. */
  synthesis?: Synthesis<SettingsOf<S>>;
  /** A named column's raw value per record (tables with named columns): what results are sliced by. */
  column?(s: SettingsOf<S>, ctx: SourceContext, name: string): ColumnValues;
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
  load?(s: Settings, ctx: SourceContext): Omit<Dataset, 'name'>;
  facts?(s: Settings, ctx: SourceContext): SourceFacts;
  synthesis?: Synthesis<Settings>;
  column?(s: Settings, ctx: SourceContext, name: string): ColumnValues;
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

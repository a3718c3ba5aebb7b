/** Data sources by kind, through their descriptors: the whole dataset, or only its facts where that is cheaper. */
import type { Settings } from '../kinds/schema.js';
import type { Dataset } from './dataset.js';
import type { ColumnValues } from './formats/csv-column-values.js';
import type { SourceContext, SourceFacts } from './source.js';
import { sourceOf } from './sources/index.js';

export interface SourceRef {
  name: string;
  source: { kind: string; settings?: Settings };
  /** Where the source is read from; the built-in MNIST needs none. */
  context?: SourceContext;
  /** Records of several datasets one after the other (a target's members and non-members as two datasets). */
  parts?: SourceRef[];
}

const NO_CONTEXT: SourceContext = { dir: process.cwd(), cacheDir: '.mia/cache', seed: 0 };

export function loadDataset(info: SourceRef): Dataset {
  if (info.parts) return concatDatasets(info.name, info.parts.map(loadDataset));
  const d = sourceOf(info.source);
  if (!d.load) throw new Error(`No loader for data source "${d.kind}" (the run gate should have refused it).`);
  return { ...d.load(info.source.settings ?? {}, info.context ?? NO_CONTEXT), name: info.name };
}

/** Size, classes, shape and labels of a dataset: what planning and the results need, without its features where that is cheaper. */
export function datasetFacts(info: SourceRef): SourceFacts {
  if (info.parts) return joinedFacts(info.parts.map(datasetFacts));
  const d = sourceOf(info.source);
  if (d.facts) return d.facts(info.source.settings ?? {}, info.context ?? NO_CONTEXT);
  const ds = loadDataset(info);
  return { n: ds.n, classes: ds.classes, shape: ds.shape, labels: ds.y, kind: ds.kind };
}

/**
 * A named column's raw value per record (`report { slices ["sex"] }`); null when the source has no named
 * columns (images, generated tables). Joined datasets give their parts' values one after the other.
 */
export function datasetColumn(info: SourceRef, name: string): ColumnValues | null {
  if (info.parts) {
    const parts = info.parts.map((p) => datasetColumn(p, name));
    if (parts.some((p) => p === null)) return null;
    const unknown = parts.find((p) => p !== null && 'unknown' in p);
    if (unknown) return unknown;
    return { values: parts.flatMap((p) => (p && 'values' in p ? p.values : [])) };
  }
  const d = sourceOf(info.source);
  return d.column ? d.column(info.source.settings ?? {}, info.context ?? NO_CONTEXT, name) : null;
}

/** The records of `parts` one after the other (same shape; classes the most any has). */
function concatDatasets(name: string, parts: Dataset[]): Dataset {
  const n = parts.reduce((a, d) => a + d.n, 0);
  const x = new Float32Array(parts.reduce((a, d) => a + d.x.length, 0));
  const y = new Int32Array(n);
  let at = 0;
  let row = 0;
  for (const d of parts) {
    x.set(d.x, at);
    y.set(d.y, row);
    at += d.x.length;
    row += d.n;
  }
  const first = parts[0]!;
  return { ...first, name, x, y, n, classes: Math.max(...parts.map((d) => d.classes)) };
}

/** The facts of datasets joined one after the other: their labels in that order. */
function joinedFacts(parts: SourceFacts[]): SourceFacts {
  const n = parts.reduce((a, f) => a + f.n, 0);
  const labels = new Int32Array(n);
  let at = 0;
  for (const f of parts) labels.set(f.labels, (at += f.n) - f.n);
  const first = parts[0]!;
  return { n, classes: Math.max(...parts.map((f) => f.classes)), shape: first.shape, labels, kind: first.kind };
}

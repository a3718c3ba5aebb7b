/**
 * Which records leak, and for whom (results.json's exposure fields): per attack each candidate's rank
 * and membership risk (src/metrics/risk.ts) and the metrics of each slice (each true class) with
 * intervals; per run the target's prediction of each candidate and the features of the most exposed
 * records, so the report can show them without the data.
 */
import {
  DEFAULT_PRIOR,
  privacyRisk,
  scoreRanks,
  sliceMetrics,
  worstSlice,
  type SliceMetrics,
  type WorstSlice,
} from '../metrics/index.js';
import { deriveSeed } from '../util/rng.js';

/** An attack's per-record exposure: rank 1 = the highest score; risk at the prior stated. */
export interface Exposure {
  prior: number;
  /** One per candidate, in the order of `samples`. */
  risk: number[];
  rank: number[];
}

/** The exposure fields of one attack (results.json `runs[i].attacks[j]`, after `samples`). */
export interface AttackExposure {
  exposure: Exposure;
  slices: SliceMetrics[];
  worstSlice: WorstSlice | null;
}

/** One exposed record: its features for display (images as 0–255 grey or RGB levels). */
export interface ShownRecord {
  record: number;
  features: number[];
}

/** results.json `runs[i].records`: what the report needs to show the most exposed records. */
export interface RunRecords {
  /** The data's kind and a record's shape ([28, 28, 1] for MNIST). */
  kind: 'image' | 'tabular';
  shape: number[];
  /** The target's predicted class of each candidate, in the order of `samples`. */
  prediction: number[];
  /** The records among each attack's `TOP_SHOWN` highest ranks, by record index. */
  top: ShownRecord[];
}

/** A column results are sliced by: its name and its value for each candidate, in the order of `samples`. */
export interface SliceColumn {
  by: string;
  groups: readonly string[];
}

/** How many of each attack's most exposed records results.json keeps the features of. */
export const TOP_SHOWN = 8;

export function attackExposure(o: {
  name: string;
  seed: number;
  fprLevels: readonly number[];
  score: readonly number[];
  member: readonly number[];
  label: readonly number[];
  prior?: number;
  /** Columns to slice by besides the class (`report { slices ["sex"] }`): a value per candidate each. */
  columns?: readonly SliceColumn[];
}): AttackExposure {
  const prior = o.prior ?? DEFAULT_PRIOR;
  const by = [{ by: 'class', groups: o.label }, ...(o.columns ?? [])];
  const slices = by.flatMap((c) =>
    sliceMetrics({
      by: c.by,
      score: o.score,
      member: o.member,
      groups: c.groups,
      fprLevels: o.fprLevels,
      seedOf: (v) => deriveSeed(o.seed, `slice/${o.name}/${c.by}/${v}`),
    }),
  );
  return {
    exposure: { prior, risk: privacyRisk(o.score, o.member, prior), rank: scoreRanks(o.score) },
    slices,
    worstSlice: worstSlice(slices),
  };
}

/** Features of a record for display: images scaled to 0–255 (per record), table rows to 4 decimals. */
function shown(x: Float32Array, r: number, size: number, kind: 'image' | 'tabular'): number[] {
  const row = Array.from(x.subarray(r * size, (r + 1) * size));
  if (kind === 'tabular') return row.map((v) => Math.round(v * 1e4) / 1e4);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of row) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const [a, b] = lo >= 0 && hi <= 1 ? [0, 1] : [lo, hi > lo ? hi : lo + 1];
  return row.map((v) => (Number.isFinite(v) ? Math.round(((v - a) / (b - a)) * 255) : 0));
}

/** The records block of a run: predictions, and the features of each attack's most exposed records. */
export function runRecords(o: {
  kind: 'image' | 'tabular';
  shape: number[];
  x: Float32Array;
  record: readonly number[];
  prediction: number[];
  ranks: readonly (readonly number[])[];
}): RunRecords {
  const size = o.shape.reduce((a, b) => a * b, 1);
  const picked = new Set<number>();
  for (const rank of o.ranks) {
    const order = rank.map((k, i) => [k, i] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    for (const [, i] of order.slice(0, TOP_SHOWN)) picked.add(o.record[i]!);
  }
  const top = [...picked].sort((a, b) => a - b).map((r) => ({ record: r, features: shown(o.x, r, size, o.kind) }));
  return { kind: o.kind, shape: o.shape, prediction: o.prediction, top };
}

/** A remote target in the plan: its API's description, its augmented queries, and its query budget. */
import type { Augmentation, TargetDef } from '../check/index.js';
import { augmentationCopies } from '../data/index.js';
import { addJob, errorAt, type Point } from './compile-common.js';
import type { DatasetInfo, RemoteQuerySpec } from './plan.js';

type Remote = Extract<TargetDef, { kind: 'remote' }>;

export type RemoteOutput = 'probabilities' | 'logits' | 'labels' | 'top_k';

/** A remote target's API as the plan records it; src/run/remote-api.ts queries it. */
export interface RemoteApi {
  url: string;
  output: RemoteOutput;
  /** With top_k: how many classes each answer gives. */
  k?: number;
}

/** The API a remote target names, checked against the data: an http(s) URL, and top_k(K) with K within the classes. */
export function remoteApi(t: Remote, info: DatasetInfo): RemoteApi {
  let url: URL;
  try {
    url = new URL(t.url);
  } catch {
    throw errorAt(`The url of the remote target "${t.name}" is not a URL: "${t.url}".`, t);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw errorAt(`The remote target "${t.name}" needs an http or https url, not ${url.protocol}.`, t);
  if (t.output === 'top_k' && (t.k === undefined || t.k < 1 || t.k > info.classes))
    throw errorAt(
      `The remote target "${t.name}" answers top_k(${t.k}), but the dataset "${info.name}" has ${info.classes} classes: give k from 1 to ${info.classes}.`,
      t,
    );
  return { url: t.url, output: t.output, ...(t.k !== undefined ? { k: t.k } : {}) };
}

/** The API's answers on augmented copies of `records` (what an augment_query job computes for a local model). */
export function remoteAugmentedQuery(
  pt: Point,
  api: RemoteApi,
  id: string,
  label: string,
  records: number[],
  augmentations: Augmentation[],
  seed: number,
): string {
  const spec: RemoteQuerySpec = {
    kind: 'remote_query',
    dataset: pt.dataset,
    target: pt.target.name,
    api,
    records: [...records].sort((a, b) => a - b),
    augmentations,
    seed,
  };
  return addJob(pt, id, label, [], spec).id;
}

/**
 * How many records the plan sends to a remote target's API (each augmented copy counts one; jobs alike
 * count once), refused before any work when that exceeds its budget.
 */
export function remoteBudget(pt: Point, t: Remote): number {
  const seen = new Set<string>();
  let queries = 0;
  const kind = pt.dataShape && pt.dataShape.length === 3 ? 'image' : 'tabular';
  for (const job of pt.jobs) {
    const s = job.spec;
    if (s.kind !== 'remote_query' || s.target !== t.name || seen.has(job.hash)) continue;
    seen.add(job.hash);
    const copies = s.augmentations ? augmentationCopies(s.augmentations, { shape: pt.dataShape ?? [], kind }, 0) : [0];
    queries += copies.length * s.records.length;
  }
  if (queries > t.budget)
    throw errorAt(
      `The remote target "${t.name}" would be sent ${queries} queries, over its budget of ${t.budget}. ` +
        'Raise the budget, or query fewer records (smaller members, non-members or populations, fewer augmentations).',
      t,
    );
  return queries;
}

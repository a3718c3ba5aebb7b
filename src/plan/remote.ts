/** A remote target in the plan: its API's description, its augmented queries, and its query budget. */
import type { Augmentation, RemoteHeader, TargetDef } from '../check/index.js';
import { augmentationCopies } from '../data/index.js';
import { clip, redactUrl } from '../lang/index.js';
import { addJob, errorAt, type Point } from './compile-common.js';
import type { DatasetInfo, RemoteApi, RemoteQuerySpec } from './plan.js';

type Remote = Extract<TargetDef, { kind: 'remote' }>;

/**
 * The API a remote target names, checked against the data and the environment: an http(s) URL without
 * credentials, top_k(K) with K within the classes, and every header's environment variable set. The API
 * keeps the variables' names only: their values never enter the plan, a job's hash or a message.
 */
export function remoteApi(t: Remote, info: DatasetInfo): RemoteApi {
  let url: URL;
  try {
    url = new URL(t.url);
  } catch {
    throw errorAt(
      'E405',
      `The url of the remote target "${t.name}" is not a URL: "${clip(redactUrl(t.url), 200)}".`,
      t,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw errorAt('E405', `The remote target "${t.name}" needs an http or https url, not ${clip(url.protocol)}.`, t);
  if (url.username !== '' || url.password !== '')
    throw errorAt(
      'E405',
      `The url of the remote target "${t.name}" carries credentials (${clip(redactUrl(t.url), 200)}): a spec is shared and ` +
        'kept with its results, so mia takes none from it. Remove them from the url and pass them in a header from ' +
        'the environment: headers: { Authorization: env("MIA_API_TOKEN") }.',
      t,
    );
  if (t.output === 'top_k' && (t.k === undefined || t.k < 1 || t.k > info.classes))
    throw errorAt(
      'E405',
      `The remote target "${t.name}" answers top_k(${t.k}), but the dataset "${info.name}" has ${info.classes} classes: give k from 1 to ${info.classes}.`,
      t,
    );
  for (const h of t.headers ?? []) checkHeaderVariable(t, h);
  const headers = t.headers?.length ? Object.fromEntries(t.headers.map((h) => [h.name, h.env])) : undefined;
  return {
    url: t.url,
    output: t.output,
    ...(t.k !== undefined ? { k: t.k } : {}),
    ...(headers ? { headers } : {}),
    ...(t.timeout !== undefined ? { timeout: t.timeout } : {}),
    ...(t.pace ? { pace: t.pace } : {}),
  };
}

/** The longest header value mia sends (servers commonly refuse headers over 8 KiB). */
const MAX_HEADER_VALUE = 8192;

/** What makes an environment variable's value unusable as a header value, or null (the value is never quoted). */
export function headerValueProblem(value: string | undefined): string | null {
  if (value === undefined) return 'is not set';
  if (value.trim() === '') return 'is empty';
  if (value.length > MAX_HEADER_VALUE) return `is longer than ${MAX_HEADER_VALUE} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/.test(value))
    return 'holds a line break, a control character or a character outside Latin-1, which a header cannot carry';
  return null;
}

/** A header's variable is set to a value HTTP can carry (said with the variable's name, never its value). */
function checkHeaderVariable(t: Remote, h: RemoteHeader): void {
  const problem = headerValueProblem(process.env[h.env]);
  if (problem)
    throw errorAt(
      'E405',
      `The header "${h.name}" of the remote target "${t.name}" takes its value from the environment variable ${h.env}, ` +
        `which ${problem}. Set it before mia plan or mia run (export ${h.env}=...).`,
      t,
      h.range,
    );
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
      'E405',
      `The remote target "${t.name}" would be sent ${queries} queries, over its budget of ${t.budget}. ` +
        'Raise the budget, or query fewer records (smaller members, non-members or populations, fewer augmentations).',
      t,
    );
  return queries;
}
